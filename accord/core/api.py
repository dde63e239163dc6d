"""API plumbing shared by every app: authentication, errors, pagination, field errors."""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from pydantic import create_model

from . import accounts, policy
from .conflicts import changed_field_names
from .exceptions import ConflictError
from .models import ApiToken, hash_token
from .security import LoginRateThrottle, lockout_message, needs_two_factor


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


class AccordSessionAuth(SessionAuth):
    """Django's session, with its CSRF check on writes; no session at all is a 401, not a 403.

    Ninja checks the CSRF token before it looks at the session, so an anonymous write got
    "CSRF check Failed"; a logged-in write without the token is still refused with a 403.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def docs_access(view):
    """The schema and docs page: for a session or a bearer token; 401 or the login otherwise."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            bearer = BearerToken()
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != bearer.openapi_scheme or not bearer.authenticate(
                request, token.strip()
            ):
                if request.path_info.endswith(".json"):
                    response = JsonResponse({"detail": "Authentication required."}, status=401)
                    response["WWW-Authenticate"] = "Bearer"
                    return response
                return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


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


class Error(Schema):
    """Every error but a 409 or a 422: `{"detail": "..."}`."""

    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str | None = None


class InvalidInput(Schema):
    """422: `detail[].loc` names the field, `detail[].msg` the reason."""

    detail: list[FieldError]


class Conflict(Schema):
    """409: the record changed since the version you read."""

    detail: str
    current_version: int | None = None
    changed_fields: list[str] = Field(
        default_factory=list,
        description="The fields changed since the version you sent (names, not values)",
    )


# The errors any operation may answer, declared once here rather than on every endpoint.
ERROR_MODELS = {
    400: create_model("BadRequestResponse", response=(Error, ...)),
    401: create_model("UnauthorizedResponse", response=(Error, ...)),
    403: create_model("ForbiddenResponse", response=(Error, ...)),
    404: create_model("NotFoundResponse", response=(Error, ...)),
    409: create_model("ConflictResponse", response=(Conflict, ...)),
    422: create_model("InvalidInputResponse", response=(InvalidInput, ...)),
    429: create_model("ThrottledResponse", response=(Error, ...)),
}
ERROR_DESCRIPTIONS = {
    400: "The body is not JSON",
    401: "No valid token or session",
    403: "Your role may not do this",
    404: "No such record, or one you may not see",
    409: "Stale version: the record changed since you read it",
    422: "Invalid input",
    429: "Too many requests",
}
BODY_SOURCES = {"body", "form", "file"}


def error_statuses(operation) -> list[int]:
    """The error statuses an operation can answer, read from what it declares."""
    sources = {model.__ninja_param_source__ for model in operation.models}
    statuses = []
    if sources & BODY_SOURCES:
        statuses.append(400)
    if operation.auth_callbacks:
        statuses += [401, 403]
    if "{" in operation.path:
        statuses.append(404)
    if {"PATCH", "DELETE"} & set(operation.methods):
        statuses.append(409)
    if sources:
        statuses.append(422)
    if operation.throttle_objects:
        statuses.append(429)
    return statuses


class AccordOpenAPISchema(OpenAPISchema):
    """Ninja's schema, with the error responses every operation can give."""

    def responses(self, operation):
        result = super().responses(operation)
        media_type = self.api.renderer.media_type
        for status in error_statuses(operation):
            schema = self._create_schema_from_model(ERROR_MODELS[status], mode="serialization")[0]
            result.setdefault(status, {"description": ERROR_DESCRIPTIONS[status]})
            result[status]["content"] = {media_type: {"schema": schema}}
        return result


class AccordAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return AccordOpenAPISchema(api=self, path_prefix=path_prefix)


# The name every endpoint gives its JSON body parameter (`def create(request, payload: ...)`).
BODY_PARAMETERS = {"payload"}


def create_api(**kwargs) -> NinjaAPI:
    api = AccordAPI(
        title="Accord API",
        version="1",
        description=(
            "Partner registry of the workspace. Authenticate with `Authorization: Bearer "
            "<token>` (POST /api/v1/auth/token) or a browser session."
        ),
        # Session auth checks Django's CSRF token on writes, for the web UI's own calls.
        auth=[BearerToken(), AccordSessionAuth()],
        urls_namespace="api",
        parser=NulFreeParser(),
        # The description and its docs page are for users with an account, like every page.
        docs_decorator=docs_access,
        **kwargs,
    )

    @api.exception_handler(ConflictError)
    def conflict(request, exc):
        changed = []
        if exc.model is not None and exc.expected_version is not None:
            changed = changed_field_names(
                exc.model, exc.pk, exc.expected_version, user=request.user
            )
        return api.create_response(
            request,
            {
                "detail": str(exc.message),
                "current_version": exc.current_version,
                "changed_fields": changed,
            },
            status=409,
        )

    @api.exception_handler(ValidationError)
    def django_validation(request, exc):
        return api.create_response(request, {"detail": field_errors(exc)}, status=422)

    @api.exception_handler(NinjaValidationError)
    def input_validation(request, exc):
        # One shape for every field error: ["body", "name"], as the services' errors give,
        # not ["body", "payload", "name"] with the view's parameter name in between.
        errors = []
        for error in exc.errors:
            loc = list(error.get("loc", []))
            if len(loc) > 2 and loc[0] == "body" and loc[1] in BODY_PARAMETERS:
                loc = [loc[0], *loc[2:]]
            errors.append({**error, "loc": loc})
        return api.create_response(request, {"detail": errors}, status=422)

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
    # A second login under the same name replaces the token made by the first.
    name: str = Field(accounts.DEFAULT_LOGIN_TOKEN_NAME, max_length=100)
    # The code from the authenticator app, for users who set up two-factor login.
    code: str | None = None


class TokenOut(Schema):
    token: str
    expires: datetime | None


class TokenInfo(Schema):
    """A token as its owner sees it: never the secret or its hash."""

    id: int
    name: str
    prefix: str
    created: datetime
    expires: datetime | None
    last_used: datetime | None


auth_router = Router(tags=["auth"])


@auth_router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: dict, 403: dict, 429: dict},
    # Password attempts per client address, counted in the shared cache; django-axes also
    # locks a username out from an address after ACCORD_LOGIN_FAILURE_LIMIT failures.
    throttle=[LoginRateThrottle()],
)
def token_create(request, payload: TokenIn):
    """Exchange a username and password (and 2FA code, if set up) for a bearer token.

    A login replaces the user's earlier token of the same `name`; it lives
    ACCORD_LOGIN_TOKEN_DAYS days.
    """
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, lockout_message())
    if user is None or not policy.can_view(user):
        raise HttpError(401, "Wrong username or password.")
    device = accounts.totp_device(user)
    if device is not None:
        if not payload.code:
            raise HttpError(401, "This account needs the code from its authenticator app.")
        if not accounts.totp_check(device, payload.code):
            # Counted like a wrong password, so codes cannot be guessed either.
            user_login_failed.send(
                sender=__name__, credentials={"username": payload.username}, request=request
            )
            if getattr(request, "axes_locked_out", False):
                raise HttpError(429, lockout_message())
            raise HttpError(401, "Wrong or expired code.")
    elif needs_two_factor(user):
        raise HttpError(403, "Set up two-factor authentication in Accord first.")
    token, raw = accounts.token_create(
        user=user, name=payload.name, days=settings.ACCORD_LOGIN_TOKEN_DAYS, replace=True
    )
    return {"token": raw, "expires": token.expires}


@auth_router.get("/tokens", response=list[TokenInfo])
def token_list(request):
    """Your own API tokens."""
    require_view(request)
    return list(accounts.token_list(user=request.user))


@auth_router.delete("/tokens/{token_id}", response={204: None})
def token_revoke(request, token_id: int):
    """Revoke one of your own tokens (another user's is a 404)."""
    require_view(request)
    accounts.token_revoke(user=request.user, pk=token_id)
    return Status(204, None)


def require_view(request) -> None:
    if not policy.can_view(request.user):
        raise PermissionDenied("Your account has no role in this workspace.")


def require_edit(request) -> None:
    """Writes need the editor role, checked before the input is looked at."""
    if not policy.can_edit(request.user):
        raise PermissionDenied("You may look at records but not change them.")
