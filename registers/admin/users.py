from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from registers.core import permissions
from registers.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are managed by the office only."""

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
                "fields": ["username", "role", "unit", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def _office(self, request) -> bool:
        return permissions.is_office(request.user)

    def has_module_permission(self, request):
        return self._office(request)

    def has_view_permission(self, request, obj=None):
        return self._office(request)

    def has_add_permission(self, request):
        return self._office(request)

    def has_change_permission(self, request, obj=None):
        return self._office(request)

    def has_delete_permission(self, request, obj=None):
        return self._office(request)
