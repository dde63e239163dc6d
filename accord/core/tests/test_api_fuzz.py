"""Schemathesis fuzzes every operation of /api/v1 against its own OpenAPI description.

Each operation gets generated valid and invalid requests, sent in-process to the WSGI
application over the `world` registry, and every response goes through all of schemathesis's
checks: no server error, a documented status code and content type, a body that matches the
documented schema, invalid input refused, auth not ignored, and so on. A failure prints the
request as a curl command, which replays against `accord serve` with a token of the same role.

The examples are derandomized and bounded, so the run is the same on every machine and takes
one to two minutes.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from accord.core.models import ApiToken
from accord.wsgi import application

SCHEMA_PATH = "/api/v1/openapi.json"

# Examples per operation as the editor; ACCORD_FUZZ_EXAMPLES=500 for a longer hunt, and
# ACCORD_FUZZ_RANDOM=1 for other examples than CI's (with --hypothesis-seed=N to replay them).
EXAMPLES = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "50"))
FUZZ_SETTINGS = {
    "derandomize": not os.environ.get("ACCORD_FUZZ_RANDOM"),
    "database": None,
    "deadline": None,
    "phases": [Phase.explicit, Phase.generate],
    "suppress_health_check": list(HealthCheck),
}


def served_schema() -> dict:
    """What `/api/v1/openapi.json` serves (its view calls the same method)."""
    from accord.api import api

    return api.get_openapi_schema()


# Loaded at import, as schemathesis's lazy `from_fixture` does not work with pytest 9.2.
# All of schemathesis's checks, with one deliberate difference: a schema-valid request may get a
# 422 when what it names does not exist or breaks a rule across rows (an unknown acronym, ISO code
# or document key, overlapping membership spells), as the API's README promises.
# Strings are UTF-8 without NUL: the API refuses NUL on purpose (PostgreSQL cannot store it).
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"allow-x00": False, "codec": "utf-8"},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            }
        },
    }
)
schema = schemathesis.openapi.from_dict(served_schema(), config=CONFIG)


@schema.hook
def filter_headers(context, headers):
    """No generated Host header: Django answers a malformed one with a 400 before any view
    (DisallowedHost), as it should; it says nothing about the API's own operations."""
    return headers is None or not any(name.lower() == "host" for name in headers)


# The token of the role a test plays, set by the test before its first call.
TOKEN = {"raw": None}


@schema.auth(refresh_interval=None)
class BearerAuth:
    """The bearer token as explicit auth: schemathesis then neither fuzzes nor overrides it."""

    def get(self, case, context):
        return TOKEN["raw"]

    def set(self, case, data, context):
        # Identity encoding: the WSGI transport sends "gzip" but does not decode what comes back
        # (compression itself is tested in registry/tests/test_fast_pages.py).
        case.headers = {
            **(case.headers or {}),
            "Authorization": f"Bearer {data}",
            "Accept-Encoding": "identity",
        }


# Requests go in-process to the WSGI application, inside the test's transaction.
schema.app = application


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Requests must not close the connection that holds the test's transaction.

    Django's test Client does the same; schemathesis calls the WSGI application directly.
    """
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def test_schema_is_the_served_one(world, client):
    client.force_login(world.users.viewer)
    response = client.get(SCHEMA_PATH)
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(served_schema()))


@schema.parametrize()
@settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
def test_api_as_editor(case, world):
    TOKEN["raw"] = token_for(world, "editor")
    case.call_and_validate()


@schema.parametrize()
@settings(max_examples=max(EXAMPLES // 4, 5), **FUZZ_SETTINGS)
def test_api_as_viewer(case, world):
    TOKEN["raw"] = token_for(world, "viewer")
    case.call_and_validate()


def token_for(world, role: str) -> str:
    """One token per role and world: issuing one per example would only slow the run."""
    tokens = world.__dict__.setdefault("fuzz_tokens", {})
    if role not in tokens:
        _, tokens[role] = ApiToken.issue(user=getattr(world.users, role), name="fuzz")
    return tokens[role]


def test_api_workflows_as_editor(world):
    """Sequences of calls along the links schemathesis infers (create, then read, patch, delete)."""
    TOKEN["raw"] = token_for(world, "editor")
    Workflow = schema.as_state_machine()
    Workflow.run(settings=settings(max_examples=15, stateful_step_count=6, **FUZZ_SETTINGS))
