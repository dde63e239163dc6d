"""Baseline views: the same rows as the Accord page or endpoint, from ONE raw SQL query each.

They run behind the same middleware (session, login, CSRF, locale...) as Accord, so a ratio
Accord / baseline measures what the app adds on top of the one query a careful hand-written
view would need: ORM, selectors, filter sets, tables, templates, schemas.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import escape

from accord.registry.choices import MEMBER_STATUSES

PAGE = 25
SORTS = {"acronym": "o.acronym", "-member_count": "member_count DESC, o.acronym"}


def _day():
    return connection.ops.adapt_datefield_value(timezone.localdate())


def _in_force(alias: str) -> str:
    return (
        f"({alias}.valid_from IS NULL OR {alias}.valid_from <= %s) "
        f"AND ({alias}.valid_to IS NULL OR {alias}.valid_to >= %s)"
    )


def organization_list(request):
    """The first page of organizations with their member count today, filtered and sorted."""
    where, params = ["1 = 1"], []
    if request.GET.get("kind"):
        where.append("{o}.kind = %s")
        params.append(request.GET["kind"])
    if request.GET.get("region"):
        where.append("{c}.region = %s")
        params.append(request.GET["region"])
    order = SORTS.get(request.GET.get("sort", "acronym"), "o.acronym")
    statuses = ", ".join(["%s"] * len(MEMBER_STATUSES))
    day = _day()
    sql = f"""
        SELECT o.acronym, o.name, o.kind, o.headquarters, c.name, o.founded,
          (SELECT COUNT(*) FROM registry_membership m
            WHERE m.organization_id = o.id AND m.status IN ({statuses})
              AND {_in_force("m")}) AS member_count,
          EXISTS (SELECT 1 FROM registry_partnership p
            JOIN registry_organization h ON h.is_home
             AND ((p.organization_id = h.id AND p.partner_id = o.id)
               OR (p.partner_id = h.id AND p.organization_id = o.id))
            WHERE p.classification <> 'restricted') AS is_partner,
          (SELECT COUNT(*) FROM registry_organization o2
            LEFT JOIN registry_country c2 ON c2.id = o2.headquarters_country_id
            WHERE {" AND ".join(w.format(o="o2", c="c2") for w in where)}
          ) AS total
        FROM registry_organization o
        LEFT JOIN registry_country c ON c.id = o.headquarters_country_id
        WHERE {" AND ".join(w.format(o="o", c="c") for w in where)}
        ORDER BY {order}
        LIMIT {PAGE}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*MEMBER_STATUSES, day, day, *params, *params])
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else v)}</td>" for v in row[:-1]) + "</tr>"
        for row in rows
    )
    return HttpResponse(
        f"<!doctype html><title>Organizations</title><p>{total} results</p>"
        f'<table data-rows="{len(rows)}"><tbody>{body}</tbody></table>'
    )


MEMBERS_SQL = f"""
    SELECT m.id, c.iso3, c.name, m.status, m.valid_from, m.valid_to, m.version,
      COUNT(*) OVER () AS total
    FROM registry_membership m
    JOIN registry_organization o ON o.id = m.organization_id
    JOIN registry_country c ON c.id = m.country_id
    WHERE o.acronym = %s AND {_in_force("m")}
    ORDER BY c.name, m.id
    LIMIT %s OFFSET %s
"""


def _members(acronym: str, limit: int, offset: int = 0) -> list[tuple]:
    day = _day()
    with connection.cursor() as cursor:
        cursor.execute(MEMBERS_SQL, [acronym, day, day, limit, offset])
        return cursor.fetchall()


def organization_detail(request, acronym):
    """Every spell of an organization in force today (what the page's map and table show)."""
    rows = _members(acronym, 10_000)
    body = "".join(
        f"<tr><td>{escape(name)}</td><td>{iso3}</td><td>{status}</td>"
        f"<td>{valid_from or ''}</td><td>{valid_to or ''}</td></tr>"
        for _id, iso3, name, status, valid_from, valid_to, _version, _total in rows
    )
    return HttpResponse(
        f"<!doctype html><title>{escape(acronym)}</title><p>{len(rows)} spells in force</p>"
        f'<table data-rows="{len(rows)}"><tbody>{body}</tbody></table>'
    )


def organization_members(request, acronym):
    """The members endpoint's JSON: {"count", "items"} for one page, from one query."""
    limit = min(int(request.GET.get("limit", 50)), 500)
    offset = int(request.GET.get("offset", 0))
    rows = _members(acronym, limit, offset)
    items = [
        {
            "id": id_,
            "country": {"iso3": iso3, "name": name},
            "status": status,
            "valid_from": str(valid_from) if valid_from else None,
            "valid_to": str(valid_to) if valid_to else None,
            "version": version,
        }
        for id_, iso3, name, status, valid_from, valid_to, version, _total in rows
    ]
    return JsonResponse(
        {"count": rows[0][-1] if rows else 0, "items": items},
        json_dumps_params={"separators": (",", ":")},
    )
