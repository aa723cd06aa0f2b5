"""Two-factor login: a time-based code from an authenticator app (TOTP, RFC 6238, django-otp)
and single-use recovery codes for a lost phone.

Which roles must use it is ``requires_two_factor``: the role's ``RolePolicy`` if the
security administrator set one, otherwise ``LAWGOV_TWO_FACTOR_ROLES`` (by default the
office and the three administrators whenever DEBUG is off).
"""

from __future__ import annotations

import hashlib
import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from registers.core import permissions
from registers.core.roles import Role

from .models import RolePolicy, TwoFactorRequirement, security_setting

DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def _roles_of(user) -> set[str]:
    """The roles whose policy applies to ``user``: a superuser is office staff and every
    administrator at once."""
    roles = {user.role, *permissions.duties_of(user)}
    if user.is_superuser:
        roles.add(Role.OFFICE)
    return roles


def required_roles() -> set[str]:
    required = set(security_setting("TWO_FACTOR_ROLES"))
    for role, rule in RolePolicy.objects.values_list("role", "two_factor"):
        if rule == TwoFactorRequirement.REQUIRED:
            required.add(role)
        elif rule == TwoFactorRequirement.OPTIONAL:
            required.discard(role)
    return required


def requires_two_factor(user) -> bool:
    return bool(_roles_of(user) & required_roles())


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up (one secret until it is confirmed with a code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The enrolment QR code as inline SVG, drawn here (no image service, no network)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # inline: without the XML declaration
    return mark_safe(svg.replace("<svg ", '<svg class="qr-code" role="img" ', 1))  # noqa: S308


def secret_text(device: TOTPDevice) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- Recovery codes -----------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _stored(code: str) -> str:
    """Recovery codes are stored hashed, like passwords (16 hex characters: 64 bits)."""
    return hashlib.sha256(_normalise(code).encode()).hexdigest()[:16]


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; the new ones are shown once and never again."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(security_setting("RECOVERY_CODES"))]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=_stored(code)) for code in codes
    )
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Verifying and removing ----------------------------------------------------------------


def verify(user, code: str):
    """The device that accepts ``code`` (a 6-digit code or a recovery code), else None.
    A recovery code is used up."""
    code = _normalise(code)
    with transaction.atomic():
        if code.isdigit():
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            candidate = code
        else:
            devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            candidate = _stored(code)
        for device in devices:
            if device.verify_token(candidate):
                return device
    return None


def confirm(device: TOTPDevice, code: str) -> bool:
    """Confirm a new authenticator with its first code."""
    code = _normalise(code)
    if not code.isdigit() or not device.verify_token(code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def remove_two_factor(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
