"""Logging in as a person would, through the login page (and the second step)."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

#: Meets the password rules (length, three character classes, not like any test user name).
STRONG_PASSWORD = "Xianan-2017-Lawgov"


def set_password(user, password: str = STRONG_PASSWORD) -> None:
    user.set_password(password)
    user.save()


def post_login(client, username: str, password: str = STRONG_PASSWORD, path: str = "/login/"):
    return client.post(path, {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(code).zfill(device.digits)
