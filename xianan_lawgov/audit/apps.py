from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "xianan_lawgov.audit"
    label = "audit"
    verbose_name = _("安全审计")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signals it records)
