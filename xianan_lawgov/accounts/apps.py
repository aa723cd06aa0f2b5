from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "xianan_lawgov.accounts"
    label = "accounts"
    verbose_name = _("账号与安全")
    #: The order of the admin's index (registers/core/register_order.py).
    index_order = ["rolepolicy", "authenticatordevice", "lockout", "apitoken"]

    def ready(self) -> None:
        from . import checks, schema, sessions  # noqa: F401  (deployment checks; the API
        # documentation's token scheme; session tracking)
