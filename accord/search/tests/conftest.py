"""The meetings' small world (accord/meetings/tests/conftest.py) for the search tests."""

import pytest

from accord.meetings.tests.conftest import build_meetings


@pytest.fixture
def mw(world, django_user_model):
    return build_meetings(world, django_user_model)
