"""A user's own API tokens and second factor: reads and writes, for the web pages and the API."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiToken

DEFAULT_LOGIN_TOKEN_NAME = "api login"


def token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created", "-pk")


def token_create(
    *, user, name: str, days: int | None = None, replace: bool = False
) -> tuple[ApiToken, str]:
    """Issue a token; with `replace`, the user's earlier tokens of that name are revoked."""
    with transaction.atomic():
        if replace:
            ApiToken.objects.filter(user=user, name=name).delete()
        return ApiToken.issue(user=user, name=name, days=days)


def token_revoke(*, user, pk: int) -> None:
    """Revoke one of the user's own tokens; another user's token is a 404, like a missing one."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise Http404("No such token.")


def tokens_revoke_all(*, user) -> int:
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def totp_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they set one up."""
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_pending(*, user) -> TOTPDevice:
    """The authenticator being set up: the unconfirmed device, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_confirm(*, user, token: str) -> TOTPDevice | None:
    """Confirm the pending authenticator with a code from it; it replaces any earlier one."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or not totp_check(device, token):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return device


def totp_remove(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def totp_check(device: TOTPDevice, token: str) -> bool:
    """A code from the device, within django-otp's throttling (kept on the device row)."""
    token = (token or "").strip().replace(" ", "")
    if not token or not device.verify_is_allowed()[0]:
        return False
    return bool(device.verify_token(token))


def qr_code_svg(data: str) -> str:
    """An SVG QR code drawn on the server, so the page needs no script."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
