"""The roles a user of the register can hold; what each may do is ``permissions``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("法制办工作人员")
    LEADER = "leader", _("领导")
    LIAISON = "liaison", _("联络员")
    API_CLIENT = "api_client", _("接口客户端")
    # Separation of duties (三员分立): three administrators who run the system and never work
    # on its records.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")

    @property
    def administers(self) -> bool:
        """One of the three administrators: works on accounts, security or the audit log."""
        return self in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)

    @property
    def reads_everything(self) -> bool:
        return self in (Role.OFFICE, Role.LEADER, Role.API_CLIENT)

    @property
    def uses_admin(self) -> bool:
        return self != Role.API_CLIENT

    @property
    def holds_tokens(self) -> bool:
        """Only a system's account holds API tokens. A token is a credential whoever issues it
        holds too: a token for a person's account would let the security administrator act as
        that person, past their password and second factor (三员分立)."""
        return self == Role.API_CLIENT
