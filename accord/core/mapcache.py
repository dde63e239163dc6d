"""World maps drawn once and kept in the cache (Redis in production, the database otherwise).

The cache key is a digest of everything the map shows: the colour class of each country, the
titles, the accessible label, the geometry file's URL and the language. Those values come
from the rows the page reads through the visibility policy, so the key changes as soon as a
membership, a country or an organization changes in a way the map would show, whoever made
the change (a service, an import, a restore, a delete, even SQL by hand), and two users share
an entry only if they would see the same map. Nothing has to invalidate an entry, and no
entry can be stale: a changed map is a different key, and old entries expire.

The rows themselves are still read on each request (one query, needed for the counts and
the "shared" colouring anyway); what is kept is the drawing of the SVG.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from django.core.cache import cache
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import worldmap

# A day: entries are cheap to draw again, and an unused map should not stay for ever.
MAP_CACHE_SECONDS = 24 * 60 * 60
KEY_PREFIX = "accord:worldmap:v1:"


def geometry_href() -> str:
    """The URL of the static outlines file (hashed name, cached for a year, in production)."""
    return static(worldmap.GEOMETRY_STATIC_NAME)


def map_key(
    classes: Mapping[str, str], *, titles: Mapping[str, str] | None, label: str, href: str
) -> str:
    content = json.dumps(
        [
            get_language() or "",
            href,
            label,
            sorted((str(k).upper(), str(v)) for k, v in classes.items()),
            sorted((str(k).upper(), str(v)) for k, v in (titles or {}).items()),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return KEY_PREFIX + hashlib.sha256(content.encode("utf-8")).hexdigest()


def cached_world_map(
    classes: Mapping[str, str], *, label: str, titles: Mapping[str, str] | None = None
) -> SafeString:
    """The page version of :func:`worldmap.world_map_svg`, drawn once per distinct content."""
    href = geometry_href()
    key = map_key(classes, titles=titles, label=label, href=href)
    svg = cache.get(key)
    if svg is None:
        svg = str(worldmap.world_map_svg(classes, titles=titles, label=label, geometry_href=href))
        cache.set(key, svg, MAP_CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - drawn by world_map_svg, which escapes every value
