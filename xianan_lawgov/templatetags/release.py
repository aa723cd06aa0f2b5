"""``{% version %}``: the release running, for the page footers."""

from django import template

from xianan_lawgov import __version__

register = template.Library()


@register.simple_tag
def version() -> str:
    return __version__
