"""Where a page sends its user next (``?next=``, a notification's address): a path on this
site, never another site and never anything ``redirect`` would take for a URL's name."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(request, target: str | None) -> str | None:
    """``target`` if it is a path on this site (``/review/?page=2``), else None.

    A full address may lead to another site, and a word without a slash ("abc") is read
    by ``redirect`` as the name of a URL, which answers 500 after the page's work is done.
    """
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None
