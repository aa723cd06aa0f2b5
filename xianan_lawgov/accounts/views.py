"""Each person's own account: two-factor login and its set-up, recovery codes, the password,
and the sessions they are logged in with."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from registers.core.redirects import local_path
from xianan_lawgov.audit.log import record
from xianan_lawgov.audit.models import Event

from . import twofactor
from .forms import CodeForm, EnrolForm, NewPasswordForm
from .lockout import attempt_from, lockout_response
from .models import PasswordChangeReason, PasswordState
from .sessions import (
    PASSWORD_OWED,
    TWO_FACTOR_OWED,
    end_sessions,
    follow_new_key,
    open_sessions,
    refresh,
)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return local_path(request, target) or reverse(settings.LOGIN_REDIRECT_URL)


def _verified(request, device) -> None:
    otp_login(request, device)
    request.session.pop(TWO_FACTOR_OWED, None)
    # A new session key once fully logged in (as at a password login).
    old_key = request.session.session_key
    request.session.cycle_key()
    follow_new_key(request, old_key)


# --- Account page -----------------------------------------------------------------------


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    state = PasswordState.objects.filter(user=user).first()
    return render(
        request,
        "accounts/account.html",
        {
            "has_two_factor": twofactor.has_two_factor(user),
            "requires_two_factor": twofactor.requires_two_factor(user),
            "recovery_codes_left": twofactor.recovery_codes_left(user),
            "password_changed_at": state.changed_at if state else None,
            "sessions": open_sessions(user, request.session.session_key),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
    )


@require_POST
@login_required
def end_session(request: HttpRequest) -> HttpResponse:
    others = [
        s.id for s in open_sessions(request.user, request.session.session_key) if not s.is_current
    ]
    if not request.POST.get("all_others"):
        chosen = set(request.POST.getlist("session"))
        others = [pk for pk in others if str(pk) in chosen]
    count = end_sessions(request.user, others)
    messages.success(request, _("已结束 %(count)d 个其他会话。") % {"count": count})
    return redirect("accounts:account")


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """The idle warning's "keep me logged in": pushes the session's end on at once."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    refresh(request.session)
    return HttpResponse(status=204)


# --- Password -------------------------------------------------------------------------------


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    reason = request.session.get(PASSWORD_OWED, "")
    form = NewPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        old_key = request.session.session_key
        update_session_auth_hash(request, form.user)
        follow_new_key(request, old_key)
        request.session.pop(PASSWORD_OWED, None)
        messages.success(request, _("密码已修改。"))
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/password.html",
        {
            "form": form,
            "reason": PasswordChangeReason(reason).label if reason else "",
        },
        status=400 if form.errors else 200,
    )


# --- Two-factor login ---------------------------------------------------------------------


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login: a code from the authenticator app, or a recovery code."""
    user = request.user
    if request.user.is_verified() or not twofactor.has_two_factor(user):
        return redirect(_next_url(request))
    if request.method == "POST":
        # Codes for one name, and from one address, one after another, so the lock after
        # five wrong ones holds.
        with attempt_from(request, user.get_username()):
            return _verify(request, user)
    return _verify(request, user)


def _verify(request: HttpRequest, user) -> HttpResponse:
    credentials = {"username": user.get_username(), "two_factor": True}
    if not AxesProxyHandler.is_allowed(request, credentials):
        logout(request)
        return lockout_response(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(user, form.cleaned_data["code"])
        if device is not None:
            _verified(request, device)
            if isinstance(device, twofactor.StaticDevice):
                left = twofactor.recovery_codes_left(user)
                record(Event.TWO_FACTOR, detail=_("恢复码，剩余 %(left)d 个") % {"left": left})
                messages.warning(
                    request,
                    _("已使用一个恢复码，还剩 %(left)d 个。手机找回后请在“账号与安全”中重新生成。")
                    % {"left": left},
                )
            else:
                record(Event.TWO_FACTOR, detail=_("身份验证器"))
            return redirect(_next_url(request))
        # Counted with failed passwords: five wrong codes lock the account too.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return lockout_response(request)
        form.add_error("code", _("验证码不正确或已过期，请重新输入。"))
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code, confirm with the first 6 digits."""
    user = request.user
    if twofactor.has_two_factor(user) and not request.user.is_verified():
        return redirect("accounts:verify")
    device = twofactor.pending_authenticator(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm(device, form.cleaned_data["code"]):
            _verified(request, device)
            codes = twofactor.new_recovery_codes(user)
            record(Event.TWO_FACTOR_ENROL, subject=user.get_username())
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
        form.add_error("code", _("验证码不正确，请确认手机时间准确后重新输入。"))
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_code": twofactor.qr_code_svg(device),
            "secret": twofactor.secret_text(device),
            "required": twofactor.requires_two_factor(user),
            "next": request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), shown once."""
    if not twofactor.has_two_factor(request.user):
        return redirect("accounts:enrol")
    codes = twofactor.new_recovery_codes(request.user)
    record(Event.RECOVERY_CODES, subject=request.user.get_username())
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:account"), "first_time": False},
    )


@require_POST
@login_required
def remove_two_factor(request: HttpRequest) -> HttpResponse:
    if twofactor.requires_two_factor(request.user):
        messages.error(request, _("您的角色必须使用双因素认证，不能停用。"))
        return redirect("accounts:account")
    twofactor.remove_two_factor(request.user)
    record(Event.TWO_FACTOR_REMOVE, subject=request.user.get_username())
    messages.success(request, _("已停用双因素认证。"))
    return redirect("accounts:account")
