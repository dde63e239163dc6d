"""Logging in (with the second factor), the account page, API tokens and two-factor set-up."""

from __future__ import annotations

import time
from base64 import b32encode
from functools import wraps

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login

from . import accounts, extensions, policy
from .security import LoginRateThrottle, lockout_response, needs_two_factor

PENDING_KEY = "_accord_2fa_pending"
# How long the code step waits after a right password, in seconds.
PENDING_SECONDS = 300

login_throttle = LoginRateThrottle()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)


class LoginView(auth_views.LoginView):
    """Django's login; a user with an authenticator app is asked for its code next."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Per client address across all usernames, in the shared cache (django-axes counts
        # failures per username and address).
        if not login_throttle.allow_request(request):
            return lockout_response(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if accounts.totp_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return HttpResponseRedirect(reverse("login_verify"))


def pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@login_not_required
@require_http_methods(["GET", "POST"])
def login_verify(request):
    """The second step of a login: the code from the user's authenticator app."""
    user, pending = pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect_to_login(reverse("dashboard"))
    device = accounts.totp_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return lockout_response(request)
        if device is not None and accounts.totp_check(device, form.cleaned_data["code"]):
            del request.session[PENDING_KEY]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            next_url = pending["next"]
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = reverse("dashboard")
            return HttpResponseRedirect(next_url)
        # A wrong code counts towards the lockout like a wrong password.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", _("That code is wrong or has expired."))
    status = 400 if request.method == "POST" else 200
    return render(request, "core/login_verify.html", {"form": form}, status=status)


def with_role(view):
    """Account pages are for users with a role in the workspace, like every other page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not policy.can_view(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_safe
@with_role
def account(request):
    return render(
        request,
        "core/account.html",
        {
            "device": accounts.totp_device(request.user),
            "token_count": accounts.token_list(user=request.user).count(),
            "two_factor_required": needs_two_factor(request.user),
            # What the apps add (accord/core/extensions.py): the calendar subscription, say.
            "account_links": extensions.account_links_for(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@with_role
def tokens(request):
    """The user's API tokens; a new one's secret is shown once, on the page that made it."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = accounts.token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    response = render(
        request,
        "core/tokens.html",
        {"tokens": accounts.token_list(user=request.user), "form": form, "new_token": new_token},
        status=400 if form.errors else 200,
    )
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@with_role
def token_revoke(request, pk: int):
    """Asks first; another user's token is a 404, like one that does not exist."""
    token = get_object_or_404(accounts.token_list(user=request.user), pk=pk)
    if request.method == "POST":
        accounts.token_revoke(user=request.user, pk=token.pk)
        messages.success(request, _("The token is revoked."))
        return redirect("tokens")
    return render(request, "core/token_revoke.html", {"token": token})


@require_http_methods(["GET", "POST"])
@with_role
def two_factor(request):
    """Set up an authenticator app (QR code and secret, then a code to confirm), or remove it."""
    device = accounts.totp_device(request.user)
    required = needs_two_factor(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    action = request.POST.get("action")
    if request.method == "POST" and action == "remove" and device is not None and not required:
        if form.is_valid() and accounts.totp_check(device, form.cleaned_data["code"]):
            accounts.totp_remove(user=request.user)
            messages.success(request, _("Two-factor login is off."))
            return redirect("account")
        form.add_error("code", _("That code is wrong or has expired."))
    elif request.method == "POST" and action == "confirm" and device is None:
        if form.is_valid():
            confirmed = accounts.totp_confirm(user=request.user, token=form.cleaned_data["code"])
            if confirmed is not None:
                otp_login(request, confirmed)
                messages.success(request, _("Two-factor login is on."))
                return redirect("account")
        form.add_error("code", _("That code is wrong or has expired."))
    context = {"device": device, "form": form, "required": required}
    if device is None:
        pending = accounts.totp_pending(user=request.user)
        context["qr_code"] = accounts.qr_code_svg(pending.config_url)
        secret = b32encode(pending.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    status = 400 if request.method == "POST" else 200
    response = render(request, "core/two_factor.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change in the app's layout; it also revokes the user's API tokens."""

    template_name = "core/password_change.html"
    success_url = reverse_lazy("account")
    http_method_names = ["get", "post", "head", "options"]

    @method_decorator(with_role)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed; your API tokens were revoked."))
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
