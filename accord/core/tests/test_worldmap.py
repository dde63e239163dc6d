"""Tests for the server-side SVG world map (no database, no Django settings needed)."""

import time
import xml.etree.ElementTree as ET

import pytest

from accord.core.worldmap import (
    CLASS_COLOURS,
    decode_arcs,
    equal_earth,
    project,
    split_antimeridian,
    world_map_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def render(classes=None, **kwargs):
    kwargs.setdefault("label", "Map of members")
    return ET.fromstring(world_map_svg(classes or {}, **kwargs))


def shapes(root, iso3):
    return [el for el in root.iter() if el.get("data-iso3") == iso3]


def subpaths(d):
    """The rings of a path ``d`` written as ``Mx,yldx,dy dx,dy...z``, as absolute points."""
    rings = []
    for subpath in d.split("M")[1:]:
        start, _, steps = subpath.rstrip("z").partition("l")
        x, y = map(float, start.split(","))
        ring = [(x, y)]
        for step in steps.split():
            dx, dy = map(float, step.split(","))
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def path_contains(path, point):
    """Even-odd point-in-polygon test against every ring of an SVG path element."""
    px, py = point
    inside = False
    for ring in subpaths(path.get("d")):
        for (x1, y1), (x2, y2) in zip([ring[-1], *ring[:-1]], ring, strict=True):
            if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def test_svg_is_well_formed_and_accessible():
    root = render(label="Members & observers")
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Members & observers"
    assert root.get("width") == "100%"
    assert root.get("preserveAspectRatio")
    _, _, width, height = map(float, root.get("viewBox").split())
    assert width == 960
    assert 400 <= height <= 480
    style = root.find(f"{SVG}style")
    assert style is not None
    for colour in CLASS_COLOURS.values():
        assert colour in style.text


def test_draws_every_country_once_without_antarctica():
    root = render()
    paths = root.findall(f"{SVG}path")
    coded = [p for p in paths if p.get("data-iso3")]
    assert len(paths) >= 170
    assert len(coded) == len({p.get("data-iso3") for p in coded})
    assert not shapes(root, "ATA")
    assert all(p.get("class") == "land" for p in coded)
    assert all(p.find(f"{SVG}title").text for p in coded)
    # Features without an ISO code (Kosovo, N. Cyprus, Somaliland) stay plain land.
    assert 1 <= len(paths) - len(coded) <= 5


def test_no_path_jumps_across_the_map():
    """Rings crossing the antimeridian (Russia, Fiji) are split, not drawn across the map."""
    for path in render().findall(f"{SVG}path"):
        for subpath in path.get("d").split("M")[1:]:
            _, _, steps = subpath.rstrip("z").partition("l")
            for step in steps.split():
                dx, _ = map(float, step.split(","))
                assert abs(dx) < 200, path.get("data-iso3")


def test_split_antimeridian():
    ring = [(170.0, 0.0), (180.0, 0.0), (-170.0, 0.0), (-170.0, 10.0), (170.0, 10.0)]
    east, west = split_antimeridian([*ring, ring[0]])
    assert all(lon <= 180 for lon, _ in east) and min(lon for lon, _ in east) == 170
    assert all(lon >= -180 for lon, _ in west) and max(lon for lon, _ in west) == -170
    assert split_antimeridian([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]) == [
        [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    ]


def test_crimea_is_drawn_as_part_of_ukraine():
    """UN General Assembly resolution 68/262: Crimea is drawn inside Ukraine's borders."""
    root = render()
    (ukraine,), (russia,) = shapes(root, "UKR"), shapes(root, "RUS")
    simferopol, krasnodar, kyiv = project(34.1, 44.95), project(38.98, 45.04), project(30.5, 50.45)
    assert path_contains(ukraine, simferopol)
    assert not path_contains(russia, simferopol)
    assert path_contains(ukraine, kyiv)
    assert path_contains(russia, krasnodar)
    # One outline: no border is drawn across the Perekop isthmus.
    assert len(subpaths(ukraine.get("d"))) == 1


def test_highlighted_country_gets_its_class_and_default_title():
    root = render({"FRA": "member", "deu": "shared"})
    (france,) = shapes(root, "FRA")
    assert france.get("class") == "member"
    assert france.find(f"{SVG}title").text == "France"
    (germany,) = shapes(root, "DEU")
    assert germany.get("class") == "shared"
    assert shapes(root, "ITA")[0].get("class") == "land"


@pytest.mark.parametrize("iso3", ["AND", "VAT", "MLT", "SGP"])
def test_small_state_is_drawn_as_circle_when_highlighted(iso3):
    assert not shapes(render(), iso3)
    (marker,) = shapes(render({iso3: "member"}), iso3)
    assert marker.tag == f"{SVG}circle"
    assert marker.get("class") == "member"
    assert float(marker.get("r")) > 0


def test_small_state_circles_sit_where_expected():
    root = render({"AND": "member", "VAT": "member", "ESP": "member", "ITA": "member"})
    andorra, vatican = shapes(root, "AND")[0], shapes(root, "VAT")[0]
    # Andorra lies west of the Holy See, at about the same latitude.
    assert float(andorra.get("cx")) < float(vatican.get("cx"))
    assert abs(float(andorra.get("cy")) - float(vatican.get("cy"))) < 5


def test_titles_are_escaped():
    hostile = '<script>alert("x")</script>'
    markup = world_map_svg(
        {"FRA": 'member" onclick="x', "AND": "member"},
        titles={"FRA": hostile, "AND": hostile},
        label=hostile,
    )
    assert "<script>" not in markup
    assert 'onclick="x' not in markup
    root = ET.fromstring(markup)
    assert root.get("aria-label") == hostile
    assert shapes(root, "FRA")[0].find(f"{SVG}title").text == hostile
    assert shapes(root, "AND")[0].find(f"{SVG}title").text == hostile


def test_unknown_codes_are_ignored():
    root = render({"XXX": "member", "": "member", "FR": "shared", "<b>": "x"})
    assert not [el for el in root.iter() if el.get("class") in {"member", "shared", "x"}]


def test_projection_orientation():
    # North is up (smaller y in SVG means larger projected y), east is right.
    assert equal_earth(0, 0) == (0.0, 0.0)
    assert equal_earth(10, 0)[0] > 0 and equal_earth(0, 50)[1] > 0
    # Reference values of the unit Equal Earth projection; its poles are lines, not points.
    pole_x, pole_y = equal_earth(180, 90)
    equator_x = equal_earth(180, 0)[0]
    assert equator_x == pytest.approx(2.7066, abs=1e-4)
    assert pole_y == pytest.approx(1.3173, abs=1e-4)
    assert pole_x / equator_x == pytest.approx(0.5925, abs=1e-3)
    assert equal_earth(-30, -45) == pytest.approx(tuple(-v for v in equal_earth(30, 45)))


def test_decode_arcs_undoes_delta_encoding():
    topology = {
        "transform": {"scale": [0.5, 2.0], "translate": [-10, 5]},
        "arcs": [[[0, 0], [2, 1], [-1, 3]]],
    }
    assert decode_arcs(topology) == [[(-10.0, 5.0), (-9.0, 7.0), (-9.5, 13.0)]]


def test_rendering_is_fast_after_warm_up():
    world_map_svg({"FRA": "member"}, label="warm-up")
    start = time.perf_counter()
    for _ in range(20):
        world_map_svg({"FRA": "member", "AND": "shared"}, label="Map")
    assert (time.perf_counter() - start) / 20 < 0.02
