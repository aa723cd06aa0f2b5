from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xianan_lawgov.reports"
    label = "reports"
    verbose_name = _("年度报告")
    #: The order of the admin's index (registers/core/register_order.py).
    index_order = ["report", "publishedreport", "unittemplate"]

    def ready(self) -> None:
        # The figure groups register themselves on import.
        from . import groups, jobs  # noqa: F401

        jobs.connect()
