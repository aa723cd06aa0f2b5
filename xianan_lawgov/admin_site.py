"""The admin site: Django's, with its header and its list of registers.

The registers stand in the order their apps declare (``registers/core/register_order.py``),
not in the code-point order of their Chinese names.

The list of what a user may open (``get_app_list``: every register's permissions asked, every
link reversed) is on every admin page and takes longer than a short list's rows. It depends
only on the user's account and the data (permissions are rules over both,
``registers.core.permissions``), so it is kept until either changes
(``registers/core/stamps.py``).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import get_script_prefix
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
