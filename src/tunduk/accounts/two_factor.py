"""Two-factor sign-in with a time-based one-time password (TOTP, RFC 6238) for staff.

A staff member enrols an authenticator app on the profile page: an unconfirmed
django-otp ``TOTPDevice`` is created, its secret shown, and the first valid code confirms
it. From then on signing in asks for a code after the password. A code is accepted once
(django-otp keeps the last time step used) and wrong codes slow the device down.
"""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from tunduk.accounts.models import User
from tunduk.core.audit import Event, record

DEVICE_NAME = "authenticator"


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's working authenticator, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice | None:
    """The authenticator being enrolled (shown, not yet confirmed with a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def may_enrol(user: User) -> bool:
    """Staff roles and admin users may add a second factor; subject employees sign in as before."""
    return user.is_staff_member


def second_factor_needed(user: User) -> bool:
    """True when signing in must ask for a code: the user enrolled, or staff must."""
    if confirmed_device(user) is not None:
        return True
    return bool(settings.TUNDUK_STAFF_TWO_FACTOR) and user.is_staff_member


def setup_details(device: TOTPDevice) -> dict[str, str | SafeString]:
    """What an authenticator app needs: the ``otpauth://`` URI, its QR code, the secret."""
    uri = device.config_url
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    # The SVG is drawn here from our own URI, never from user input, so it is safe to inline.
    svg = image.to_string(encoding="unicode")
    return {
        "uri": uri,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": mark_safe(svg),
    }


@transaction.atomic
def start_enrolment(user: User) -> TOTPDevice:
    """A new secret for ``user``'s authenticator, replacing any enrolment left unfinished."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def verify_code(device: TOTPDevice, code: str) -> bool:
    """Check ``code`` against ``device``; a code already used, or too old, is refused.

    The row is locked so two requests cannot both spend the same code.
    """
    code = code.strip().replace(" ", "")
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if code.isdigit():
            # Records the time step used (so it cannot be replayed) or throttles the device.
            return bool(locked.verify_token(code))
        locked.throttle_increment(commit=True)
        return False


def confirm_enrolment(user: User, device: TOTPDevice, code: str) -> bool:
    """Turn two-factor sign-in on when ``code`` is right; False (nothing changed) otherwise."""
    if device.user_id != user.pk or confirmed_device(user) is not None:
        return False  # one authenticator per user; replacing it means turning it off first
    if not verify_code(device, code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        record(Event.TWO_FACTOR_ENABLED, actor=user, obj=user)
    return True


def disable(user: User, code: str) -> bool:
    """Turn two-factor sign-in off, proven by a current code; False when the code is wrong."""
    device = confirmed_device(user)
    if device is None or not verify_code(device, code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        record(Event.TWO_FACTOR_DISABLED, actor=user, obj=user)
    return True
