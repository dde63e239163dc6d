"""The themes taxonomy: the OSCE's dimensions and the themes under them, seeded and checked."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from accord.core import services as core
from accord.taxonomy.choices import Dimension, Phase
from accord.taxonomy.models import Theme
from accord.taxonomy.selectors import theme_get, theme_list


def test_the_dimensions_and_their_themes_are_seeded(db):
    roots = list(Theme.objects.roots().order_by("order").values_list("slug", "dimension"))
    assert roots == [
        ("politico-military", Dimension.POLITICO_MILITARY),
        ("economic-environmental", Dimension.ECONOMIC_ENVIRONMENTAL),
        ("human", Dimension.HUMAN),
        ("cross-dimensional", Dimension.CROSS_DIMENSIONAL),
    ]
    under = {t.slug: t.parent.slug for t in Theme.objects.exclude(parent=None)}
    assert under["arms-control"] == "politico-military"
    assert under["border-management"] == "politico-military"
    assert under["counter-terrorism"] == "politico-military"
    assert under["energy-security"] == "economic-environmental"
    assert under["migration"] == "economic-environmental"
    assert under["elections"] == "human"
    assert under["media-freedom"] == "human"
    assert under["gender-equality"] == "cross-dimensional"
    assert under["early-warning-capacity"] == "cross-dimensional"
    assert len(under) >= 20
    # Every theme is in its dimension's branch, and each was recorded in the history.
    for theme in Theme.objects.exclude(parent=None):
        assert theme.dimension == theme.parent.dimension
    assert Theme.history.filter(history_type="+").count() == Theme.objects.count()


def test_themes_are_thematic_not_phases(db):
    phases = {str(label).lower() for label in Phase.labels}
    assert not {t.name.lower() for t in Theme.objects.all()} & phases
    assert Phase.values == [
        "early_warning",
        "conflict_prevention",
        "crisis_management",
        "post_conflict_rehabilitation",
    ]


def test_names_are_shown_in_the_reader_language(db):
    theme = Theme.objects.get(slug="human-rights")
    with translation.override("fr"):
        assert str(theme) == "Droits de l'homme"
    with translation.override("de"):
        assert theme.display_name == "Menschenrechte"
    with translation.override("en"):
        assert str(theme) == "Human rights"


def test_a_theme_cannot_be_inside_itself_or_another_dimension(db):
    human = Theme.objects.get(slug="human")
    rights = Theme.objects.get(slug="human-rights")
    with pytest.raises(ValidationError) as caught:
        core.update(human, actor=None, fields={"parent": rights}, expected_version=None)
    assert "parent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        core.create(
            Theme(name="Arms", slug="arms-2", parent=human, dimension="politico_military"),
            actor=None,
        )
    assert "dimension" in caught.value.message_dict
    sub = core.create(
        Theme(name="Freedom of assembly", slug="assembly", parent=rights, dimension="human"),
        actor=None,
    )
    assert sub.history.get().history_type == "+"


def test_themes_are_open_to_every_role_and_found_by_key_or_id(world):
    theme = Theme.objects.get(slug="elections")
    for role in ("viewer", "partner", "editor"):
        user = getattr(world.users, role)
        assert theme_get(user, "elections") == theme
        assert theme_get(user, str(theme.pk)) == theme
        assert theme_list(user).count() == Theme.objects.count()
    with pytest.raises(Http404):
        theme_get(world.users.norole, "elections")
    for key in ("nope", "99999999999999999999", "\x00"):
        with pytest.raises(Http404):
            theme_get(world.users.viewer, key)
