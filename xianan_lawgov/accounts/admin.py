"""The security administrator's pages: API tokens, login locks, the two-factor requirement
of each role, and two-factor devices (reset when a phone is lost)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from registers.admin.base import DutyAdmin
from registers.core import permissions
from registers.core.roles import Role
from registers.models import User
from xianan_lawgov.audit.log import record
from xianan_lawgov.audit.models import Event

from . import twofactor
from .lockout import lift
from .models import (
    TOKEN_ROLES,
    ApiToken,
    AuthenticatorDevice,
    Lockout,
    RolePolicy,
    TwoFactorRequirement,
)
from .sessions import end_all_sessions
from .tokens import issue_token, revoke_token


class SecurityAdmin(DutyAdmin):
    """Seen and used by the security administrator only; nothing is ever deleted here."""

    holds_duty = staticmethod(permissions.manages_security)


# --- API tokens -----------------------------------------------------------------------------


class TokenStateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("usable", _("有效")), ("expired", _("已过期")), ("revoked", _("已撤销"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "usable":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(SecurityAdmin):
    list_display = [
        "name",
        "user",
        "role",
        "prefix",
        "grants_personal_data",
        "created_at",
        "expires_at",
        "last_used_at",
        "state",
    ]
    list_filter = [TokenStateFilter, "grants_personal_data", "user__role"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["user", "name", "expires_at", "grants_personal_data"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return permissions.manages_security(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Only API clients' accounts hold tokens (ApiToken.clean says why).
            kwargs["queryset"] = User.objects.filter(is_active=True, role__in=TOKEN_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return [*self.fields, "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]

    @admin.display(description=_("角色"), ordering="user__role")
    def role(self, obj):
        return obj.user.get_role_display()

    @admin.display(description=_("状态"))
    def state(self, obj):
        if obj.revoked_at:
            return _("已撤销")
        return _("已过期") if obj.is_expired else _("有效")

    def save_model(self, request, obj, form, change):
        # The key is shown on the next page only (response_add), never again.
        request._issued_key = issue_token(obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(
            request,
            "admin/accounts/apitoken/issued.html",
            {
                **self.admin_site.each_context(request),
                "title": _("令牌已创建"),
                "token": obj,
                "key": request._issued_key,
                "opts": self.opts,
            },
        )

    @admin.action(description=_("撤销所选令牌（立即失效）"))
    def revoke(self, request, queryset):
        count = sum(revoke_token(token, by=request.user) for token in queryset)
        messages.success(
            request,
            ngettext("已撤销 %(n)d 个令牌。", "已撤销 %(n)d 个令牌。", count) % {"n": count},
        )


# --- Login locks -------------------------------------------------------------------------------


class LockStateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("锁定中")), ("ended", _("已解除或已到期"))]

    def queryset(self, request, queryset):
        active = Lockout.objects.active()
        if self.value() == "active":
            return queryset.filter(pk__in=active.values("pk"))
        if self.value() == "ended":
            return queryset.exclude(pk__in=active.values("pk"))
        return queryset


@admin.register(Lockout)
class LockoutAdmin(SecurityAdmin):
    list_display = ["username", "address", "failures", "locked_at", "until", "state", "lifted_by"]
    list_filter = [LockStateFilter, "locked_at"]
    search_fields = ["username", "address"]
    list_select_related = ["lifted_by"]
    readonly_fields = [
        "username",
        "address",
        "failures",
        "locked_at",
        "until",
        "lifted_at",
        "lifted_by",
    ]
    actions = ["lift_locks"]

    @admin.display(description=_("状态"))
    def state(self, obj):
        if obj.lifted_at:
            return _("已人工解除")
        return _("锁定中") if obj.is_active else _("已到期")

    @admin.action(description=_("解除所选锁定"))
    def lift_locks(self, request, queryset):
        count = 0
        for lockout in queryset.active():
            lift(lockout, by=request.user)
            count += 1
        messages.success(
            request,
            ngettext("已解除 %(n)d 个锁定。", "已解除 %(n)d 个锁定。", count) % {"n": count},
        )

    def get_actions(self, request):
        # Lifting is the one change here; it needs no delete permission.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


# --- Two-factor: requirement per role, devices ----------------------------------------------


@admin.register(RolePolicy)
class RolePolicyAdmin(SecurityAdmin):
    list_display = ["role", "two_factor", "effective"]
    list_editable = ["two_factor"]
    list_display_links = None
    actions = None

    def has_change_permission(self, request, obj=None):
        return permissions.manages_security(request.user)

    def changelist_view(self, request, extra_context=None):
        # One row per role, so that every role can be set here.
        RolePolicy.objects.bulk_create(
            [RolePolicy(role=role) for role in Role if role.uses_admin],
            ignore_conflicts=True,
        )
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(role=Role.API_CLIENT)

    @admin.display(description=_("当前是否必须"), boolean=True)
    def effective(self, obj):
        return obj.role in twofactor.required_roles()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            Event.TWO_FACTOR_POLICY,
            subject=Role(obj.role).label,
            detail=TwoFactorRequirement(obj.two_factor).label,
        )


admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(AuthenticatorDevice)
class TwoFactorDeviceAdmin(SecurityAdmin):
    list_display = ["user", "role", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed", "user__role"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    fields = ["user", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["reset"]

    @admin.display(description=_("角色"), ordering="user__role")
    def role(self, obj):
        return obj.user.get_role_display()

    @admin.action(description=_("重置所选账号的双因素认证（删除设备和恢复码，结束其会话）"))
    def reset(self, request, queryset):
        users = {device.user for device in queryset.select_related("user")}
        for user in users:
            twofactor.remove_two_factor(user)
            end_all_sessions(user)
            record(Event.TWO_FACTOR_REMOVE, subject=user.get_username(), detail=_("安全管理员重置"))
        messages.success(
            request,
            ngettext(
                "已重置 %(n)d 个账号的双因素认证；其下次登录时须重新设置。",
                "已重置 %(n)d 个账号的双因素认证；其下次登录时须重新设置。",
                len(users),
            )
            % {"n": len(users)},
        )
