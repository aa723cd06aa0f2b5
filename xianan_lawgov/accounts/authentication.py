"""API token authentication: ``Authorization: Token <key>``, looked up by the key's hash.

A token is refused when unknown, revoked, expired, or its account is inactive; an address
that sends too many bad tokens is answered 429 for a while. The first use of a token each
day is written to the audit log.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from xianan_lawgov.audit.log import record
from xianan_lawgov.audit.models import Event

from .models import TOKEN_ROLES, ApiToken, hash_key
from .throttles import BadTokenThrottle

#: ``last_used_at`` is written at most this often (not on every request).
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(authentication.TokenAuthentication):
    model = ApiToken

    def authenticate(self, request):
        if not authentication.get_authorization_header(request).lower().startswith(b"token"):
            return None
        guard = BadTokenThrottle(request)
        if guard.blocked:
            raise exceptions.Throttled(
                guard.wait(), detail=_("无效令牌过多，请稍后再试。"), code="too_many_bad_tokens"
            )
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            guard.count_failure()
            raise

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        now = timezone.now()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。"), code="invalid_token")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("令牌已过期。"), code="token_expired")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("令牌所属账号已停用。"), code="inactive_user")
        if token.user.role not in TOKEN_ROLES:
            raise exceptions.AuthenticationFailed(
                _("令牌所属账号不是接口客户端，令牌不能使用。"), code="not_api_client"
            )
        self._note_use(token, now)
        return token.user, token

    @staticmethod
    def _note_use(token: ApiToken, now: datetime.datetime) -> None:
        last = token.last_used_at
        if last is not None and now - last < LAST_USED_PRECISION:
            return
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        if last is None or timezone.localdate(last) != timezone.localdate(now):
            record(Event.TOKEN_USE, user=token.user, subject=str(token))


class SessionAuthentication(authentication.SessionAuthentication):
    """A signed-in browser's session. A write without the page's CSRF token is refused
    like every other API error: in Chinese, with a code (DRF's own says "CSRF Failed")."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _(
                    "缺少 CSRF 令牌或令牌不符：从网页发出的修改须带上页面的 CSRF 令牌"
                    "（请求头 X-CSRFToken，与 Cookie 中的 csrftoken 相同）。请刷新页面后重试。"
                ),
                code="csrf_failed",
            ) from None
