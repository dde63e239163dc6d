"""The `accord` command line: users and their roles."""

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.core import policy
from accord.core.choices import Role


def run(*args, stdin=""):
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out, stderr=io.StringIO())
    finally:
        sys.stdin = old
    return out.getvalue()


def test_createuser_with_a_password_from_stdin(world, client):
    output = run(
        "createuser",
        "una",
        "--role",
        "partner",
        "--organization",
        "un",
        "--password-stdin",
        stdin="a-long-enough-password\n",
    )
    assert "Created partner una of UN" in output
    user = get_user_model().objects.get(username="una")
    assert policy.role_of(user) == Role.PARTNER
    assert client.login(username="una", password="a-long-enough-password")


def test_createuser_refuses_what_it_cannot_do(world):
    with pytest.raises(CommandError, match="needs --organization"):
        run("createuser", "p", "--role", "partner")
    with pytest.raises(CommandError, match="No organization"):
        run("createuser", "p", "--role", "partner", "--organization", "NOPE")
    with pytest.raises(CommandError, match="only for the partner role"):
        run("createuser", "v", "--role", "viewer", "--organization", "UN")
    with pytest.raises(CommandError, match="too short"):
        run("createuser", "v", "--role", "viewer", "--password-stdin", stdin="short\n")
    assert not get_user_model().objects.filter(username__in=["p", "v"]).exists()


def test_createuser_changes_an_existing_role(world):
    run("createuser", "viewer", "--role", "editor")
    user = get_user_model().objects.get(username="viewer")
    assert policy.role_of(user) == Role.EDITOR
