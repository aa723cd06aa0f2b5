"""``{% kept "name" value… %}…{% endkept %}``: a fragment of a page rendered once and kept
until the data changes (``registers/core/stamps.py``), for the records the user sees.

The key is the name, the values given (everything the fragment shows besides the records)
and the user's scope (``permissions.scope_key``), always added: two users who see different
records never share a fragment.
"""

from __future__ import annotations

from django import template

from registers.core import permissions, stamps

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, name: str, values: list[template.base.FilterExpression], nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context) -> str:
        user = context["request"].user
        key = (
            permissions.scope_key(user),
            *(repr(value.resolve(context)) for value in self.values),
        )
        return stamps.kept(f"fragment:{self.name}", key, lambda: self.nodelist.render(context))


@register.tag("kept")
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept %} needs a name")
    name = bits[1].strip("\"'")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(name, [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
