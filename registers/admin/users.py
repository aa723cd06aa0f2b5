from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from registers.admin.base import OfficeOnlyAdmin
from registers.models import User

# What a person may do follows from their role (registers.core.roles), never from groups.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(OfficeOnlyAdmin, DjangoUserAdmin):
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
