"""Who the client is, login lockout, Permissions-Policy and the two-factor requirement."""

from __future__ import annotations

from axes.backends import AxesBackend
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.throttling import AnonRateThrottle

from . import policy


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, unless ACCORD_TRUSTED_PROXIES proxies are in front.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is the
    N-th entry from the right; anything further left was written by the client and is ignored.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.ACCORD_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(proxies, len(addresses))]


class LockoutBackend(AxesBackend):
    """django-axes' lockout check, for callers that pass the request.

    Every login over HTTP (the login page, the admin, POST /api/v1/auth/token) passes it;
    code without a request (Django's test client `login()`, scripts) has nothing to count
    against, and is let through to the password check instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins for this account from your address. "
        "Try again in %(minutes)d minutes, or ask an administrator to unlock it."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out client sees: JSON for the API, a page in the app's layout otherwise."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=status)
    return render(request, "core/locked_out.html", {"message": lockout_message()}, status=status)


class LoginRateThrottle(AnonRateThrottle):
    """Password attempts per client address, kept in the default (shared) cache."""

    scope = "login"

    def __init__(self):
        super().__init__("20/m")  # replaced by ACCORD_LOGIN_RATE when a request comes

    def allow_request(self, request) -> bool:
        self.rate = settings.ACCORD_LOGIN_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request) -> str | None:
        return client_ip(request)


class PermissionsPolicyMiddleware:
    """Pages may not use the camera, microphone, location and other powerful features."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# Pages an administrator or editor without a verified second factor may still open.
TWO_FACTOR_OPEN_PATHS = ("/account/two-factor/", "/logout/", "/login/", "/i18n/", "/static/")


def needs_two_factor(user) -> bool:
    return bool(settings.ACCORD_REQUIRE_2FA) and policy.can_edit(user)


class TwoFactorRequiredMiddleware:
    """With ACCORD_REQUIRE_2FA, administrators and editors use the site only 2FA-verified.

    One without a confirmed device is sent to set it up before any other page; a session
    that was not verified with a code (made before the setting was on) is logged out. Bearer
    token calls to the API are not sessions and pass: a token is the verified credential.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and needs_two_factor(user)
            and not user.is_verified()
            and not request.path_info.startswith(TWO_FACTOR_OPEN_PATHS)
        ):
            from django_otp import user_has_device

            if request.path_info.startswith("/api/"):
                message = _("Set up two-factor authentication in Accord first.")
                return JsonResponse({"detail": message}, status=403)
            if user_has_device(user, confirmed=True):
                logout(request)
                return redirect_to_login(request.get_full_path())
            return HttpResponseRedirect(reverse("two_factor_setup"))
        return self.get_response(request)
