from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "registers"
    verbose_name = _("台账")
    #: The order the registers are listed in (registers/core/register_order.py): as the
    #: annual report takes them up (power lists and licences, inspections, documents,
    #: enforcement), then the settings.
    index_order = [
        "unit",
        "poweritem",
        "poweradjustment",
        "licencereformbatch",
        "integrateditem",
        "inspectionitem",
        "inspectiontarget",
        "inspectiondraw",
        "conflict",
        "document",
        "enforcementbody",
        "officer",
        "calendarday",
        "user",
    ]

    def ready(self):
        from django.apps import apps

        from registers.core import jobs, mail
        from registers.core.exchange import updates, uploads
        from registers.core.text import guard_text_fields

        # Every model is loaded before any app is ready: every text field is guarded.
        guard_text_fields(apps.get_models())
        from registers.resources import EXCHANGE_RESOURCES

        uploads.register(*EXCHANGE_RESOURCES)
        uploads.connect_jobs()
        updates.connect_jobs()
        mail.connect()
        jobs.connect()
