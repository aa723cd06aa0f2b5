"""The admin site: Django's, with its header and its list of registers.

The registers stand in the order their apps declare (``registers/core/register_order.py``),
not in the code-point order of their Chinese names.

The list of what a user may open (``get_app_list``: every register's permissions asked, every
link reversed) is on every admin page and takes longer than a short list's rows. It depends
only on the user's account and the data (permissions are rules over both,
``registers.core.permissions``), so it is kept until either changes
(``registers/core/stamps.py``).

Django's "view on site" redirect (``r/<content type>/<id>/``) checks no permission: here it
leads only to a record the user may see, and answers 404 for any other, as for one that
does not exist.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.urls import get_script_prefix, path
from django.utils.translation import gettext_lazy as _

from registers.core import permissions, stamps
from registers.core.register_order import index_position


class LawgovAdminSite(admin.AdminSite):
    site_header = _("咸安区法治政府建设合规台账")
    site_title = _("咸安区法治政府建设合规台账")
    index_title = _("台账管理")
    # The workspace's menu and the admin's index lead to every register; the sidebar's list
    # of them would take a quarter of a 1366 px screen from the lists.
    enable_nav_sidebar = False

    def get_urls(self):
        urls = super().get_urls()
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(url, "name", None) == "view_on_site"
            else url
            for url in urls
        ]

    def view_on_site(self, request, content_type_id, object_id):
        # This module is loaded with the app registry, before models may be imported.
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            record = ContentType.objects.get(pk=content_type_id).get_object_for_this_type(
                pk=object_id
            )
        except (ObjectDoesNotExist, ValueError, ValidationError, OverflowError):
            raise Http404 from None
        if not permissions.can_view(request.user, record):
            raise Http404
        return shortcut(request, content_type_id, object_id)

    def get_app_list(self, request, app_label=None):
        user = request.user
        account = (
            user.pk,
            getattr(user, "role", None),
            user.is_active,
            user.is_staff,
            user.is_superuser,
            getattr(user, "unit_id", None),
        )
        return stamps.kept(
            "admin_app_list",
            (account, permissions.scope_key(user), app_label, get_script_prefix()),
            lambda: _with_names(
                _in_index_order(super(LawgovAdminSite, self).get_app_list(request, app_label))
            ),
            as_is=True,  # read by the templates only
        )


def _in_index_order(app_list: list[dict]) -> list[dict]:
    """Django's list (apps and models by name) in ``index_position`` order."""
    for app in app_list:
        app["models"].sort(key=lambda entry: index_position(entry["model"]))
    return sorted(app_list, key=lambda app: index_position(app["models"][0]["model"])[0])


def _with_names(app_list: list[dict]) -> list[dict]:
    """``app_list`` with its names translated now (the key has the language), so that the
    other processes can be given it from the shared cache."""
    return [
        {
            **app,
            "name": str(app["name"]),
            "models": [{**model, "name": str(model["name"])} for model in app["models"]],
        }
        for app in app_list
    ]


class LawgovAdminConfig(AdminConfig):
    default_site = "xianan_lawgov.admin_site.LawgovAdminSite"
