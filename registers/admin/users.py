from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from registers.admin.base import UnscopedAdmin
from registers.core import permissions
from registers.models import User

#: What the system administrator may set on an account; its role and superuser status are
#: the security administrator's (三员分立: the one who creates accounts does not empower them,
#: so an account the system administrator creates has no role until the security
#: administrator gives it one).
ACCOUNT_FIELDS = ("last_name", "first_name", "email", "unit", "is_active")
SECURITY_FIELDS = ("role", "is_superuser")


# What a person may do follows from their role (registers.core.roles), never from groups.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(UnscopedAdmin, DjangoUserAdmin):
    """Accounts: created and kept by the system administrator, given their role by the
    security administrator. The administrators' own accounts (and superusers) are beyond
    the system administrator's reach: nobody resets the password of whoever audits them."""

    list_display = ["username", "last_name", "first_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "unit__kind"]
    list_select_related = ["unit"]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["last_name", "first_name", "email"]}),
        (_("角色与单位"), {"fields": ["role", "unit", "is_active", "is_superuser"]}),
        (_("登录记录"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "unit", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def _keeps_accounts(self, request, obj=None) -> bool:
        """The system administrator, on an account that holds no administrator duty."""
        if not permissions.manages_accounts(request.user):
            return False
        return obj is None or request.user.is_superuser or not _holds_duties(obj)

    def has_module_permission(self, request):
        return permissions.manages_accounts(request.user) or permissions.manages_security(
            request.user
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return permissions.manages_accounts(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            return False  # one's own account is changed on the account page, not here
        return self._keeps_accounts(request, obj) or permissions.manages_security(request.user)

    def has_delete_permission(self, request, obj=None):
        return self._keeps_accounts(request, obj) and (obj is None or obj.pk != request.user.pk)

    def get_deleted_objects(self, objs, request):
        """The delete page names the accounts only: what goes with them (notifications
        naming records and review comments) or keeps them (the records they entered) is
        counted by kind, as the system administrator does not read records."""
        _named, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        accounts = [str(obj) for obj in objs]
        if protected:
            protected = [_("该账号录入或处理过的记录 %(count)d 项") % {"count": len(protected)}]
        return accounts, model_count, perms_needed, protected

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is None:
            return readonly
        if not self._keeps_accounts(request, obj):
            readonly += ACCOUNT_FIELDS
        if not permissions.manages_security(request.user):
            readonly += SECURITY_FIELDS
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None and permissions.manages_security(request.user):
            # The security administrator (who may also create accounts as a superuser) gives
            # the role at once.
            (name, options), *rest = fieldsets
            fields = ["username", "role", *options["fields"][1:]]
            return [(name, {**options, "fields": fields}), *rest]
        return fieldsets

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, id)
        if user is None or not self._keeps_accounts(request, user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


def _holds_duties(user) -> bool:
    return bool(user.is_superuser or user.role in permissions.ADMINISTRATOR_ROLES)
