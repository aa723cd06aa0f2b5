from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The pages people work in: home pages, review queue, notifications."""

    name = "xianan_lawgov.workspace"
    label = "workspace"
    verbose_name = _("工作台")

    def ready(self) -> None:
        from . import notifications

        notifications.connect()
