from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registers.core.constraints import RefusalsOnFields, required_when
from registers.core.fields import unit_field
from registers.core.roles import Role


class LawgovUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.OFFICE)
        return super().create_superuser(username, email, password, **extra_fields)


class User(RefusalsOnFields, AbstractUser):
    """A person or system using the register; what they may see follows from ``role``."""

    # No role (""): an account the system administrator made and the security administrator
    # has not yet given a role (三员分立); it signs in but sees nothing.
    role = models.CharField(
        _("角色"),
        max_length=20,
        choices=[("", _("未分配角色")), *Role.choices],
        blank=True,
        default="",
        help_text=_("由安全管理员分配；未分配角色的账号能登录，但看不到任何记录。"),
    )
    unit = unit_field(
        _("所属单位"),
        optional=True,
        related_name="users",
        help_text=_("联络员必须属于一个单位，只能看到和修改本单位的记录。"),
    )

    objects = LawgovUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = verbose_name_plural = _("用户")
        constraints = [
            required_when(
                "unit",
                Q(role="liaison"),
                rule="liaison_has_unit",
                message=_("联络员必须指定所属单位。"),
                code="liaison_without_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """A Chinese name reads family name first, without a space: 王法制."""
        return f"{self.last_name}{self.first_name}".strip()

    def save(self, *args, **kwargs):
        # People log in to the admin; API clients only use tokens; an account without a
        # role has nothing there yet.
        self.is_staff = self.is_superuser or (
            self.role in Role.values and Role(self.role).uses_admin
        )
        super().save(*args, **kwargs)
