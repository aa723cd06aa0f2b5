"""Personal calendar feeds: a secret address per person, for calendar apps that cannot log in.

The key in the address is the credential. It is kept only as its hash (``hash_key``, as an
API token is), so it is shown once, when made; making a new one ends the old address at
once. The address opens only an active person's feed: a deactivated account's answers 404
as an unknown one does.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from registers.core import permissions
from xianan_lawgov.audit.log import record
from xianan_lawgov.audit.models import Event

from .models import ApiToken, CalendarFeed, hash_key


@transaction.atomic
def issue_feed(user) -> str:
    """Give ``user`` a new secret calendar address (ending any earlier one) and return its
    key: shown this once, never stored."""
    key = ApiToken.new_key()
    replaced = CalendarFeed.objects.filter(user=user).exists()
    CalendarFeed.objects.update_or_create(user=user, defaults={"key_hash": hash_key(key)})
    record(
        Event.CALENDAR_FEED,
        user=user,
        subject=user.get_username(),
        detail=_("重置，原地址作废") if replaced else _("首次生成"),
    )
    return key


def feed_owner(key: str):
    """Whose feed ``key`` opens: an active person who uses the pages, or None."""
    feed = (
        CalendarFeed.objects.filter(key_hash=hash_key(key), user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None or not permissions.uses_pages(feed.user):
        return None
    return feed.user


def has_feed(user) -> bool:
    return CalendarFeed.objects.filter(user=user).exists()
