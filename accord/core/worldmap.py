"""A world map rendered server-side as inline SVG.

Geometry comes from world-atlas ``countries-110m.json`` (Natural Earth 1:110m, TopoJSON),
vendored by ``scripts/vendor-assets.sh``. It is decoded, split at the antimeridian,
projected with the Equal Earth projection (Šavrič, Patterson & Jenny 2018) and turned into
SVG path strings once per process; each call of :func:`world_map_svg` only stitches cached
strings together with the caller's CSS classes and titles.

Countries too small for the 1:110m data (Andorra, Malta, Singapore, many island states...)
are drawn as small circles at their capital, but only when they are highlighted.

Pages do not carry the outlines: they pass ``geometry_href`` (the URL of the static file
``accord/worldmap.svg``, written by :func:`geometry_svg` and cached by browsers for a year
under its hashed name), and each country is a ``<use>`` of its outline there, coloured by
its CSS class. A page then holds about 20 KB of map instead of 100 KB. Without
``geometry_href`` (documents, tests) the outlines are inline as before.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .names import country_name

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries-110m.json"
# The outlines as a static file (see geometry_svg), relative to the static files root.
GEOMETRY_STATIC_NAME = "accord/worldmap.svg"
GEOMETRY_FILE = Path(__file__).resolve().parents[1] / "static" / GEOMETRY_STATIC_NAME

VIEWBOX_WIDTH = 960.0
PADDING = 4.0
SMALL_STATE_RADIUS = 3.0
ANTARCTICA_ID = "010"
RUSSIA_ID = "643"
UKRAINE_ID = "804"
# (west, south, east, north) box in degrees that holds the whole Crimean peninsula.
CRIMEA_BOUNDS = (32.0, 44.0, 37.0, 46.5)
DEFAULT_CLASS = "land"

# Default fills. Highlight colours are the Okabe-Ito palette (designed to stay distinct
# under protanopia, deuteranopia and tritanopia); each has at least 3:1 contrast against
# white (WCAG 1.4.11): member 5.2:1, shared 3.9:1, partner 3.4:1, observer 3.1:1.
CLASS_COLOURS: dict[str, str] = {
    "land": "#e5e7eb",
    "member": "#0072b2",
    "shared": "#d55e00",
    "observer": "#cc79a7",
    "partner": "#009e73",
}

# A capital more than this many degrees from the country's own centroid is taken to be a
# geocoding error in countryinfo (e.g. Grenada's capital placed in France); the centroid
# is used instead.
_MAX_CAPITAL_OFFSET_DEGREES = 15.0

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class _Shape:
    """One country outline: its ISO alpha-3 code (None if it has none) and SVG path."""

    iso3: str | None
    name: str
    d: str


# --- TopoJSON ------------------------------------------------------------------------------


def decode_arcs(topology: Mapping[str, Any]) -> list[list[Point]]:
    """Decode a quantized, delta-encoded TopoJSON topology's arcs to (lon, lat) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: list[Point] = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arc_indexes: Sequence[int], arcs: Sequence[list[Point]]) -> list[Point]:
    """Join a ring's arcs; a negative index ``~i`` means arc ``i`` reversed."""
    ring: list[Point] = []
    for index in arc_indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point: keep it once.
        ring.extend(arc[1:] if ring else arc)
    return ring


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[int]]]:
    """The arc-index polygons of a Polygon or MultiPolygon geometry (empty otherwise)."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def _rings(geometry: Mapping[str, Any], arcs: Sequence[list[Point]]) -> Iterator[list[Point]]:
    """Yield every ring (outer and holes) of a Polygon or MultiPolygon geometry."""
    for polygon in _polygons(geometry):
        for ring in polygon:
            yield from split_antimeridian(_ring(ring, arcs))


def _dissolve(ring: Sequence[int], piece: Sequence[int]) -> list[int] | None:
    """Merge ring ``piece`` into ``ring`` by dropping the arcs they share.

    Neighbouring rings run along a shared arc in opposite directions (``i`` in one, ``~i``
    in the other). If that border is one unbroken run in both rings, it is replaced in
    ``ring`` by the rest of ``piece``; otherwise None is returned.
    """
    shared = set(ring) & {~index for index in piece}
    count = len(shared)
    if not shared or count == len(piece):
        return None

    def rotate(arcs: Sequence[int], in_run: Callable[[int], bool]) -> list[int] | None:
        # Rotate so the run of shared arcs comes first; None if it is not one run.
        for start in range(len(arcs)):
            if in_run(arcs[start]) and not in_run(arcs[start - 1]):
                rotated = [*arcs[start:], *arcs[:start]]
                return rotated if all(map(in_run, rotated[:count])) else None
        return None

    ring_rotated = rotate(ring, lambda index: index in shared)
    piece_rotated = rotate(piece, lambda index: ~index in shared)
    if ring_rotated is None or piece_rotated is None:
        return None
    return [*piece_rotated[count:], *ring_rotated[count:]]


def _crimea_to_ukraine(geometries: Sequence[dict[str, Any]], arcs: Sequence[list[Point]]) -> None:
    """Move Crimea from Russia's geometry to Ukraine's (in place), dissolving their border.

    In the 1:110m data Crimea is a separate polygon of Russia's MultiPolygon, joined to
    Ukraine's outline by one arc across the Perekop isthmus.
    """
    by_id = {geometry.get("id"): geometry for geometry in geometries}
    russia, ukraine = by_id.get(RUSSIA_ID), by_id.get(UKRAINE_ID)
    if russia is None or ukraine is None:
        return
    west, south, east, north = CRIMEA_BOUNDS

    def in_crimea(polygon: list[list[int]]) -> bool:
        return all(
            west <= lon <= east and south <= lat <= north
            for ring in polygon
            for lon, lat in _ring(ring, arcs)
        )

    crimea = [polygon for polygon in _polygons(russia) if in_crimea(polygon)]
    if not crimea:
        return
    russia["type"] = "MultiPolygon"
    russia["arcs"] = [polygon for polygon in _polygons(russia) if not in_crimea(polygon)]
    polygons = _polygons(ukraine)
    for piece in crimea:
        for polygon in polygons:
            merged = _dissolve(polygon[0], piece[0]) if len(piece) == 1 else None
            if merged is not None:
                polygon[0] = merged
                break
        else:
            polygons.append(piece)
    ukraine["type"] = "MultiPolygon"
    ukraine["arcs"] = polygons


def _clip(ring: Sequence[Point], lon: float, keep_west: bool) -> list[Point]:
    """Clip a ring to one side of the meridian ``lon`` (Sutherland-Hodgman, one edge)."""

    def inside(point: Point) -> bool:
        return point[0] <= lon if keep_west else point[0] >= lon

    clipped: list[Point] = []
    for previous, current in zip([ring[-1], *ring[:-1]], ring, strict=True):
        if inside(current) != inside(previous):
            t = (lon - previous[0]) / (current[0] - previous[0])
            clipped.append((lon, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            clipped.append(current)
    return clipped


def split_antimeridian(ring: Sequence[Point]) -> list[list[Point]]:
    """Split a ring that crosses ±180° into one ring on each side of the map.

    world-atlas rings that cross the antimeridian (Russia, Fiji) jump from +180 to -180;
    unwrapping the longitudes makes the ring continuous (e.g. 170..190), and clipping it at
    the 180° meridian gives an eastern piece and a western one, shifted back by 360°.
    """
    unwrapped = [ring[0]]
    offset = 0.0
    for (lon0, _), (lon, lat) in zip(ring, ring[1:], strict=False):
        if lon - lon0 > 180:
            offset -= 360
        elif lon - lon0 < -180:
            offset += 360
        unwrapped.append((lon + offset, lat))
    lons = [lon for lon, _ in unwrapped]
    if max(lons) > 180:
        edge, shift = 180.0, -360.0
    elif min(lons) < -180:
        edge, shift = -180.0, 360.0
    else:
        return [list(ring)]
    near = _clip(unwrapped, edge, keep_west=edge > 0)
    far = [(lon + shift, lat) for lon, lat in _clip(unwrapped, edge, keep_west=edge < 0)]
    return [piece for piece in (near, far) if len(piece) >= 3]


# --- Projection ----------------------------------------------------------------------------

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> Point:
    """Project degrees to Equal Earth on the unit sphere (y grows northwards)."""
    lam = math.radians(lon)
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


@dataclass(frozen=True, slots=True)
class _Frame:
    """Maps projected unit-sphere coordinates into the SVG viewBox."""

    min_x: float
    max_y: float
    scale: float
    height: float

    def __call__(self, lon: float, lat: float) -> Point:
        x, y = equal_earth(lon, lat)
        return (x - self.min_x) * self.scale + PADDING, (self.max_y - y) * self.scale + PADDING


# --- Cached geometry -----------------------------------------------------------------------


def _num(value: float) -> str:
    """Format a coordinate with one decimal, dropping a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _tenths(value: int) -> str:
    """Format an integer count of tenths as a compact decimal (``-15`` -> ``-1.5``)."""
    whole, tenth = divmod(abs(value), 10)
    text = f"{whole}.{tenth}" if tenth else str(whole)
    return f"-{text}" if value < 0 else text


def _path_data(rings: Sequence[list[Point]], frame: _Frame) -> str:
    """Build an SVG path ``d`` string from (lon, lat) rings.

    Points are rounded to 0.1 viewBox units first; the first point of each ring is absolute
    and the rest relative (``l``), which keeps the markup about a third smaller. Working in
    integer tenths means the relative steps add up exactly.
    """
    parts: list[str] = []
    for ring in rings:
        points: list[tuple[int, int]] = []
        for lon, lat in ring:
            x, y = frame(lon, lat)
            point = (round(x * 10), round(y * 10))
            if not points or points[-1] != point:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:  # rings that collapse at this precision are dropped
            continue
        (x0, y0), steps = points[0], []
        for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
            steps.append(f"{_tenths(xb - xa)},{_tenths(yb - ya)}")
        parts.append(f"M{_tenths(x0)},{_tenths(y0)}l{' '.join(steps)}z")
    return "".join(parts)


@functools.cache
def _geometry() -> tuple[_Frame, tuple[_Shape, ...]]:
    """Load, project and stringify the country outlines (once per process)."""
    topology = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    # Natural Earth draws Crimea as Russian; UN General Assembly resolution 68/262 (2014)
    # affirms Ukraine's internationally recognised borders, so it is drawn as Ukraine.
    _crimea_to_ukraine(geometries, arcs)
    features: list[tuple[str | None, str, list[list[Point]]]] = []
    for geometry in geometries:
        numeric = geometry.get("id")
        if numeric == ANTARCTICA_ID:
            continue
        country = pycountry.countries.get(numeric=numeric) if numeric else None
        iso3 = country.alpha_3 if country else None
        name = country.name if country else geometry.get("properties", {}).get("name", "")
        features.append((iso3, name, list(_rings(geometry, arcs))))

    projected = [
        equal_earth(lon, lat) for _, _, rings in features for ring in rings for lon, lat in ring
    ]
    min_x = min(x for x, _ in projected)
    max_x = max(x for x, _ in projected)
    min_y = min(y for _, y in projected)
    max_y = max(y for _, y in projected)
    scale = (VIEWBOX_WIDTH - 2 * PADDING) / (max_x - min_x)
    frame = _Frame(min_x, max_y, scale, math.ceil((max_y - min_y) * scale + 2 * PADDING))

    shapes = tuple(_Shape(iso3, name, _path_data(rings, frame)) for iso3, name, rings in features)
    return frame, shapes


@functools.cache
def _drawn_codes() -> frozenset[str]:
    """ISO alpha-3 codes that have an outline in the 1:110m data."""
    return frozenset(shape.iso3 for shape in _geometry()[1] if shape.iso3)


def _as_point(value: Any) -> Point | None:
    """Return ``(lat, lng)`` from countryinfo's data, which is sometimes nested or empty."""
    if isinstance(value, list | tuple) and value and isinstance(value[0], list | tuple):
        value = value[0]
    if isinstance(value, list | tuple) and len(value) == 2:
        try:
            return float(value[0]), float(value[1])
        except (TypeError, ValueError):
            return None
    return None


def _angular_distance(a: Point, b: Point) -> float:
    """Great-circle distance in degrees between two (lat, lng) points."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    cos_d = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(
        lng1 - lng2
    )
    return math.degrees(math.acos(max(-1.0, min(1.0, cos_d))))


@functools.cache
def _capital_latlng(iso3: str) -> Point | None:
    """Capital (lat, lng) of a country from countryinfo, falling back to its centroid."""
    from countryinfo import CountryInfo  # imported lazily: its data load is slow-ish

    try:
        info = CountryInfo(iso3)
        if info.iso(3) != iso3:
            return None
        data = info.info()
    except Exception:  # countryinfo raises assorted errors on unknown or incomplete data
        return None
    capital = _as_point(data.get("capital_latlng"))
    centroid = _as_point(data.get("latlng"))
    if capital and centroid and _angular_distance(capital, centroid) > _MAX_CAPITAL_OFFSET_DEGREES:
        return centroid
    return capital or centroid


@functools.cache
def _small_state_xy(iso3: str) -> Point | None:
    """ViewBox position of a country's marker circle, or None if it cannot be placed."""
    latlng = _capital_latlng(iso3)
    if latlng is None:
        return None
    return project(latlng[1], latlng[0])


@functools.cache
def _country_name(iso3: str) -> str | None:
    """The pycountry name for a valid ISO alpha-3 code."""
    country = pycountry.countries.get(alpha_3=iso3)
    return country.name if country else None


@functools.cache
def _style() -> str:
    """The map's default stylesheet, scoped to ``.accord-worldmap``.

    Base rules use ``:where()`` (zero specificity) so pages can restyle shapes or add their
    own classes with a plain class selector.
    """
    rules = [
        f":where(.accord-worldmap) :where(path,circle,use){{fill:{CLASS_COLOURS['land']};"
        "stroke:#fff;stroke-width:.5;stroke-linejoin:round}",
        ":where(.accord-worldmap) circle{stroke-width:.75}",
        ":where(.accord-worldmap) [data-iso3]:hover{fill-opacity:.75}",
    ]
    rules += [
        f":where(.accord-worldmap) .{name}{{fill:{colour}}}"
        for name, colour in CLASS_COLOURS.items()
        if name != DEFAULT_CLASS
    ]
    return "<style>" + "".join(rules) + "</style>"


# --- Public API ----------------------------------------------------------------------------


def project(lon: float, lat: float) -> Point:
    """The viewBox position of a point given in degrees."""
    return _geometry()[0](lon, lat)


def world_map_size() -> tuple[float, float]:
    """Width and height of the map's viewBox."""
    frame = _geometry()[0]
    return VIEWBOX_WIDTH, frame.height


def _shape_id(index: int, shape: _Shape) -> str:
    """The id of a shape in the geometry file: its ISO code, else ``n`` and its position."""
    return shape.iso3 or f"n{index}"


def geometry_svg() -> str:
    """The standalone SVG file of every outline, each a ``<path>`` with an id to ``<use>``.

    The paths carry no fill or stroke of their own, so a ``<use>`` colours them through
    the page's CSS. The file is committed as ``accord/static/accord/worldmap.svg``; write
    it again after changing the geometry with ``python -m accord.core.worldmap``.
    """
    frame, shapes = _geometry()
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_num(VIEWBOX_WIDTH)} {_num(frame.height)}">'
    ]
    parts += [
        f'<path id="{_shape_id(index, shape)}" d="{shape.d}"/>'
        for index, shape in enumerate(shapes)
    ]
    parts.append("</svg>\n")
    return "\n".join(parts)


def world_map_svg(
    classes: Mapping[str, str],
    *,
    titles: Mapping[str, str] | None = None,
    label: str,
    geometry_href: str | None = None,
) -> SafeString:
    """Render the world as an inline ``<svg>`` with countries coloured by CSS class.

    ``classes`` maps ISO 3166-1 alpha-3 codes to a CSS class ("member", "shared", ...);
    other countries get class ``land``. ``titles`` overrides the per-country hover title
    (default: the pycountry name). ``label`` is the accessible name of the whole map.
    Unknown codes are ignored. With ``geometry_href`` (the URL of the file written by
    :func:`geometry_svg`) each outline is a ``<use>`` of that file instead of a path.
    """
    frame, shapes = _geometry()
    wanted = {code.upper(): css for code, css in classes.items()}
    names = {code.upper(): title for code, title in (titles or {}).items()}

    def title_for(iso3: str, default: str) -> str:
        # The default, pycountry's English name, in the reader's language.
        return escape(names.get(iso3) or country_name(default))

    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="accord-worldmap" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {_num(VIEWBOX_WIDTH)} {_num(frame.height)}" '
        'preserveAspectRatio="xMidYMid meet" width="100%">',
        _style(),
    ]
    href = escape(geometry_href) if geometry_href else None
    for index, shape in enumerate(shapes):
        if href is None:
            tag, outline = "path", f'd="{shape.d}"'
        else:
            tag, outline = "use", f'href="{href}#{_shape_id(index, shape)}"'
        if shape.iso3 is None:
            parts.append(f"<{tag} {outline}/>")
            continue
        css = escape(wanted.get(shape.iso3, DEFAULT_CLASS))
        parts.append(
            f'<{tag} class="{css}" data-iso3="{shape.iso3}" {outline}>'
            f"<title>{title_for(shape.iso3, shape.name)}</title></{tag}>"
        )

    drawn = _drawn_codes()
    for iso3 in sorted(wanted):
        css = wanted[iso3]
        if iso3 in drawn or css == DEFAULT_CLASS:
            continue
        name = _country_name(iso3)
        position = _small_state_xy(iso3) if name else None
        if name is None or position is None:
            continue
        x, y = position
        parts.append(
            f'<circle class="{escape(css)}" data-iso3="{iso3}" cx="{_num(x)}" cy="{_num(y)}" '
            f'r="{_num(SMALL_STATE_RADIUS)}"><title>{title_for(iso3, name)}</title></circle>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is escaped


if __name__ == "__main__":  # python -m accord.core.worldmap: write the static geometry file
    GEOMETRY_FILE.write_text(geometry_svg(), encoding="utf-8")
    print(f"wrote {GEOMETRY_FILE}")
