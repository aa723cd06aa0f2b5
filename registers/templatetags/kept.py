"""``{% kept "name" value… %}…{% endkept %}``: a fragment of a page rendered once and kept
until the data changes (``registers/core/stamps.py``), for the records the user sees.

The key is the name, the values given (everything the fragment shows besides the records)
and the user's scope (``permissions.scope_key``), always added: two users who see different
records never share a fragment.

A form inside the fragment carries the reader's own CSRF token: the fragment is rendered
with a placeholder in its place, put back on every request.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from registers.core import permissions, stamps

register = template.Library()

#: What ``{% csrf_token %}`` writes inside a kept fragment instead of the reader's token.
CSRF_PLACEHOLDER = "lawgov-kept-csrf-token"


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
        token = context.get("csrf_token")
        if token is None or token == "NOTPROVIDED":
            return stamps.kept(f"fragment:{self.name}", key, lambda: self.nodelist.render(context))
        with context.push(csrf_token=CSRF_PLACEHOLDER):
            html = stamps.kept(f"fragment:{self.name}", key, lambda: self.nodelist.render(context))
        return mark_safe(html.replace(CSRF_PLACEHOLDER, str(token)))  # noqa: S308 (rendered)


@register.tag("kept")
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept %} needs a name")
    name = bits[1].strip("\"'")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(name, [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
