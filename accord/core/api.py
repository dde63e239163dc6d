"""API plumbing shared by every app: authentication, errors, pagination, field errors."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AnonRateThrottle

from . import policy
from .exceptions import ConflictError
from .models import ApiToken, hash_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user", "user__accord_profile")
            .filter(key_hash=hash_token(token))
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        if found.expires is not None and found.expires < now:
            return None
        # Write last_used at most once an hour, so reads stay reads.
        if found.last_used is None or (now - found.last_used).total_seconds() > 3600:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        return found.user


def has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    return False


class NulFreeParser(Parser):
    """JSON bodies and query strings without NUL characters, which PostgreSQL cannot take."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if has_nul(data):
            # Django Ninja answers any parse error with 400 "Cannot parse request body".
            raise ValueError("Text may not contain NUL characters.")
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        for name, value in result.items():
            if has_nul(name) or has_nul(value):
                raise invalid(name, "Text may not contain NUL characters.", where="query")
        return result


def field_errors(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", name if name != "__all__" else "non_field_errors"], "msg": str(msg)}
            for name, messages in exc.message_dict.items()
            for msg in messages
        ]
    return [{"loc": ["body"], "msg": str(msg)} for msg in exc.messages]


def invalid(field: str, message: str, where: str = "body") -> NinjaValidationError:
    """A 422 naming one field, for input the schema could not check by itself."""
    return NinjaValidationError([{"loc": [where, field], "msg": message, "type": "value_error"}])


def create_api(**kwargs) -> NinjaAPI:
    api = NinjaAPI(
        title="Accord API",
        version="1",
        description=(
            "Partner registry of the workspace. Authenticate with `Authorization: Bearer "
            "<token>` (POST /api/v1/auth/token) or a browser session."
        ),
        # Session auth checks Django's CSRF token on writes, for the web UI's own calls.
        auth=[BearerToken(), SessionAuth()],
        urls_namespace="api",
        parser=NulFreeParser(),
        # The description and its docs page are for users with an account, like every page.
        docs_decorator=login_required,
        **kwargs,
    )

    @api.exception_handler(ConflictError)
    def conflict(request, exc):
        return api.create_response(
            request,
            {"detail": str(exc.message), "current_version": exc.current_version},
            status=409,
        )

    @api.exception_handler(ValidationError)
    def django_validation(request, exc):
        return api.create_response(request, {"detail": field_errors(exc)}, status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "Not found."}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        message = str(exc) or "You may not do this."
        return api.create_response(request, {"detail": message}, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        response = api.create_response(request, {"detail": "Authentication required."}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    return api


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


auth_router = Router(tags=["auth"])


@auth_router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: dict},
    # Slows down password guessing; the cache is per process unless a shared one is set up.
    throttle=[AnonRateThrottle("20/m")],
)
def token_create(request, payload: TokenIn):
    """Exchange a username and password for a bearer token."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not policy.can_view(user):
        raise HttpError(401, "Wrong username or password.")
    _, raw = ApiToken.issue(user=user, name="api login")
    return {"token": raw}


def require_view(request) -> None:
    if not policy.can_view(request.user):
        raise PermissionDenied("Your account has no role in this workspace.")


def require_edit(request) -> None:
    """Writes need the editor role, checked before the input is looked at."""
    if not policy.can_edit(request.user):
        raise PermissionDenied("You may look at records but not change them.")
