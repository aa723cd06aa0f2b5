"""The roles a user of the register can hold; what each may do is ``permissions``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("法制办工作人员")
    LEADER = "leader", _("领导")
    LIAISON = "liaison", _("联络员")
    API_CLIENT = "api_client", _("接口客户端")

    @property
    def reads_everything(self) -> bool:
        return self != Role.LIAISON

    @property
    def uses_admin(self) -> bool:
        return self != Role.API_CLIENT
