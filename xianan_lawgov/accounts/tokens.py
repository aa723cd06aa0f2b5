"""Issuing and revoking API tokens (the admin, the API and ``create_api_token`` use these)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from xianan_lawgov.audit.log import record
from xianan_lawgov.audit.models import Event

from .models import ApiToken, default_token_expiry


def issue_token(token: ApiToken, *, by=None) -> str:
    """Save the new ``token`` (its account, name, expiry and grant filled in) with a fresh
    key, and return the key: it is shown this once and never stored. Raises
    ``ValidationError`` for an account that may not hold a token (``ApiToken.clean``)."""
    token.clean()
    key = ApiToken.new_key()
    token.set_key(key)
    token.created_by = by
    token.expires_at = token.expires_at or default_token_expiry()
    token.save()
    record(
        Event.TOKEN_CREATE,
        user=by,
        subject=f"{token.user.get_username()}：{token}",
        detail=_("到期：%(expires)s；个人信息：%(personal)s")
        % {
            "expires": timezone.localtime(token.expires_at).strftime("%Y-%m-%d"),
            "personal": _("可见") if token.grants_personal_data else _("脱敏"),
        },
    )
    return key


def revoke_token(token: ApiToken, *, by=None) -> bool:
    """Revoke ``token`` at once; False if it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(Event.TOKEN_REVOKE, user=by, subject=f"{token.user.get_username()}：{token}")
    return True
