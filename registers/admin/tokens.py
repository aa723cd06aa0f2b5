"""API tokens for systems (the municipal government's client): created and revoked by the
office only. Replaces Django REST framework's own token admin, which follows Django model
permissions that the office's role does not use."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin as DrfTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from registers.admin.base import OfficeOnlyAdmin

admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(OfficeOnlyAdmin, DrfTokenAdmin):
    list_display = ["user", "role", "key", "created"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return False  # a token is revoked (deleted) and created anew, never edited

    @admin.display(description=_("角色"), ordering="user__role")
    def role(self, obj):
        return obj.user.get_role_display()
