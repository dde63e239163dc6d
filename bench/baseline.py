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
    """The first page of organizations with their member count today and their engagement
    health (the facts a viewer may see, the score from the same pure function as the page),
    filtered and sorted: the cadences of the series (one query), then the page (one query).

    Sorted by a registry column, the page is chosen first and the engagement read for its 25
    rows; sorted by engagement, the score is computed in SQL for every organization, each
    subquery once (a MATERIALIZED table of the facts)."""
    where, params = ["1 = 1"], []
    if request.GET.get("kind"):
        where.append("{o}.kind = %s")
        params.append(request.GET["kind"])
    if request.GET.get("region"):
        where.append("{c}.region = %s")
        params.append(request.GET["region"])
    sort = request.GET.get("sort", "acronym")
    statuses = ", ".join(["%s"] * len(MEMBER_STATUSES))
    day = _day()
    registry = f"""
        SELECT o.id, o.acronym, o.name, o.kind, o.headquarters, c.name AS country, o.founded,
          (SELECT COUNT(*) FROM registry_membership m
            WHERE m.organization_id = o.id AND m.status IN ({statuses})
              AND {_in_force("m")}) AS member_count,
          EXISTS (SELECT 1 FROM registry_partnership p
            JOIN registry_organization h ON h.is_home
             AND ((p.organization_id = h.id AND p.partner_id = o.id)
               OR (p.partner_id = h.id AND p.organization_id = o.id))
            WHERE p.classification <> 'restricted') AS is_partner,
          o.is_home
        FROM registry_organization o
        LEFT JOIN registry_country c ON c.id = o.headquarters_country_id
        WHERE {" AND ".join(w.format(o="o", c="c") for w in where)}
    """
    registry_params = [*MEMBER_STATUSES, day, day, *params]
    total_sql = f"""(SELECT COUNT(*) FROM registry_organization o2
        LEFT JOIN registry_country c2 ON c2.id = o2.headquarters_country_id
        WHERE {" AND ".join(w.format(o="o2", c="c2") for w in where)}) AS total"""
    cadence_sql, cadence_params = _cadence_column()
    columns = (
        "r.acronym, r.name, r.kind, r.headquarters, r.country, r.founded, r.member_count, "
        "r.is_partner, r.is_home"
    )
    facts = f"{_engagement_columns('r')}, {cadence_sql}"
    facts_params = [*_engagement_params(), *cadence_params]
    if sort in ("engagement", "-engagement"):
        direction = "DESC" if sort.startswith("-") else "ASC"
        score, score_params = _score_sql("f")
        sql = f"""
            WITH r AS MATERIALIZED ({registry}),
            f AS MATERIALIZED (SELECT r.*, {facts} FROM r AS r)
            SELECT f.acronym, f.name, f.kind, f.headquarters, f.country, f.founded,
              f.member_count, f.is_partner, f.is_home, f.last_hosted, f.last_joined,
              f.open_actions, f.overdue_actions, f.cadence, {total_sql}
            FROM f ORDER BY {score} {direction} NULLS LAST, f.id
            LIMIT {PAGE}
        """
        sql_params = [*registry_params, *facts_params, *params, *score_params]
    else:
        order = {"-member_count": "r.member_count DESC, r.acronym"}.get(sort, "r.acronym")
        sql = f"""
            WITH r AS MATERIALIZED ({registry} ORDER BY {order.replace("r.", "")} LIMIT {PAGE})
            SELECT {columns}, {facts}, {total_sql}
            FROM r AS r ORDER BY {order}
        """
        sql_params = [*registry_params, *facts_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape('' if v is None else v)}</td>" for v in row[:7])
        + f"<td>{'yes' if row[7] else 'no'}</td><td>{_score_cell(row)}</td></tr>"
        for row in rows
    )
    return HttpResponse(
        f"<!doctype html><title>Organizations</title><p>{total} results</p>"
        f'<table data-rows="{len(rows)}"><tbody>{body}</tbody></table>'
    )


def _score_cell(row) -> str:
    """The engagement score of a list row (is_home, hosted, joined, open, overdue, cadence at
    columns 8-13), from health.assess()."""
    from accord.meetings import health

    is_home, hosted, joined, open_actions, overdue, cadence = row[8:14]
    last = max((_as_datetime(v) for v in (hosted, joined) if v is not None), default=None)
    nothing = not open_actions and not row[7] and cadence is None and last is None
    engagement = health.assess(
        days_since=(timezone.localdate() - timezone.localdate(last)).days if last else None,
        cadence_days=cadence,
        open_actions=open_actions,
        overdue_actions=overdue,
        judged=not (is_home or nothing),
    )
    return "" if engagement.score is None else str(engagement.score)


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


# ---------------------------------------------------------------- meetings (issue 7)
#
# What a viewer may see, written out: no restricted meeting, series or action, and no action
# raised at a restricted meeting (accord/core/policy.py, accord/meetings/querysets.py).

CALENDAR_LIMIT = 2000
OPEN_STATUSES = ("open", "in_progress")


def _at(moment) -> object:
    return connection.ops.adapt_datetimefield_value(moment)


def calendar_month(request):
    """The meetings of a month (?date=YYYY-MM-DD, any day of it), soonest first, at most
    CALENDAR_LIMIT (as the calendar shows): one query."""
    import datetime

    try:
        anchor = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = timezone.localdate()
    first = anchor.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(following, datetime.time.min, tzinfo=tz)
    sql = f"""
        SELECT m.id, m.title, m.start, m."end", m.status, m.format, m.place
        FROM meetings_meeting m
        WHERE m.start < %s AND m."end" > %s AND m.classification <> 'restricted'
        ORDER BY m.start, m.id
        LIMIT {CALENDAR_LIMIT + 1}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [_at(end), _at(start)])
        rows = cursor.fetchall()[:CALENDAR_LIMIT]
    body = "".join(
        f'<li><a href="/meetings/{id_}/">{escape(title)}</a> {begin} {status}</li>'
        for id_, title, begin, _end, status, _format, _place in rows
    )
    return HttpResponse(
        f"<!doctype html><title>Calendar</title><p>{len(rows)} meetings</p>"
        f'<ul data-rows="{len(rows)}">{body}</ul>'
    )


def _visible_actions(alias: str = "a", meeting: str = "am") -> str:
    return (
        f"{alias}.classification <> 'restricted' AND ({alias}.meeting_id IS NULL OR "
        f"{meeting}.classification <> 'restricted')"
    )


def overdue_actions(request):
    """The first page of overdue actions (open or in progress, due before today), soonest due
    first, with their owner, partner and meeting, and the total: one query."""
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    sql = f"""
        SELECT a.id, a.title, a.status, a.due, p.name, o.acronym, am.title,
          COUNT(*) OVER () AS total
        FROM meetings_action a
        LEFT JOIN meetings_meeting am ON am.id = a.meeting_id
        LEFT JOIN registry_person p ON p.id = a.owner_person_id
          AND p.classification <> 'restricted'
        LEFT JOIN registry_organization o ON o.id = a.organization_id
        WHERE a.status IN ({statuses}) AND a.due < %s AND {_visible_actions()}
        ORDER BY a.due, a.id
        LIMIT {PAGE}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*OPEN_STATUSES, _day()])
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    body = "".join(
        f'<tr data-id="{row[0]}">'
        + "".join(f"<td>{escape('' if v is None else v)}</td>" for v in row[1:-1])
        + "</tr>"
        for row in rows
    )
    return HttpResponse(
        f"<!doctype html><title>Overdue actions</title><p>{total} results</p>"
        f'<table data-rows="{len(rows)}"><tbody>{body}</tbody></table>'
    )


def _plus() -> str:
    """SQLite's planner, without statistics, leads with the (status, start) index of meetings
    and walks every held meeting for each organization; a unary + keeps it off that index."""
    return "+" if connection.vendor == "sqlite" else ""


def _engagement_columns(org: str) -> str:
    """The engagement facts of the organization `org` (an alias with an id) as a viewer may
    see them: the latest held meeting it hosted and took part in, its open and overdue
    actions. MAX() from its own indexes, as a careful hand would write it."""
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    held = f"{_plus()}m.status = 'held' AND m.classification <> 'restricted'"
    actions = (
        "FROM meetings_action a LEFT JOIN meetings_meeting am ON am.id = a.meeting_id "
        f"WHERE a.organization_id = {org}.id AND a.status IN ({statuses}) "
        f"AND {_visible_actions()}"
    )
    # The home organization, in every meeting, has no light: its meetings are not read.
    return f"""
        CASE WHEN {org}.is_home THEN NULL ELSE (SELECT MAX(m.start) FROM meetings_meeting m
          WHERE m.host_organization_id = {org}.id AND {held}) END AS last_hosted,
        CASE WHEN {org}.is_home THEN NULL ELSE (SELECT MAX(m.start)
          FROM meetings_meeting_organizations mo JOIN meetings_meeting m ON m.id = mo.meeting_id
          WHERE mo.organization_id = {org}.id AND {held}) END AS last_joined,
        (SELECT COUNT(*) {actions}) AS open_actions,
        (SELECT COUNT(*) {actions} AND a.due < %s) AS overdue_actions
    """


def _engagement_params() -> list:
    return [*OPEN_STATUSES, *OPEN_STATUSES, _day()]


def _cadence_column(org: str = "r") -> tuple[str, list]:
    """The shortest cadence (in days) of the series `org` is in, as an SQL column: the rules
    the series use are read first (one query) and their days put in a CASE."""
    from accord.meetings import recurrence

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT cadence FROM meetings_series WHERE classification <> 'restricted'"
        )
        rules = [row[0] for row in cursor.fetchall()]
    days = {rule: recurrence.cadence_days(rule) for rule in rules}
    days = {rule: n for rule, n in days.items() if n is not None}
    if not days:
        return "NULL AS cadence", []
    case = "CASE s.cadence " + " ".join("WHEN %s THEN %s" for _ in days) + " END"
    params = [value for rule, n in sorted(days.items()) for value in (rule, n)]
    sql = f"""(SELECT MIN({case}) FROM meetings_series s
        WHERE s.classification <> 'restricted' AND s.id IN (
          SELECT so.series_id FROM meetings_series_organizations so
            WHERE so.organization_id = {org}.id
          UNION ALL SELECT sh.id FROM meetings_series sh
            WHERE sh.host_organization_id = {org}.id)) AS cadence"""
    return sql, params


def _score_sql(f: str) -> tuple[str, list]:
    """The engagement score of the facts table `f` in SQL (health.score()'s arithmetic)."""
    from accord.meetings import health

    sqlite = connection.vendor == "sqlite"
    least, greatest = ("min", "max") if sqlite else ("LEAST", "GREATEST")
    last = f"{greatest}(COALESCE({f}.last_hosted, %s), COALESCE({f}.last_joined, %s))"
    if sqlite:
        since = f"CAST(julianday(%s) - julianday(date({last})) AS INTEGER)"
    else:
        since = f"(CAST(%s AS date) - CAST({last} AS date))"
    never = _at(health.NEVER_AT)
    every = f"COALESCE({f}.cadence, {health.DEFAULT_CADENCE_DAYS})"
    recency = f"{least}({health.MAX_RECENCY_PENALTY}, {greatest}(0, 100 * {since} / {every} - 100))"
    overdue = (
        f"{least}({health.MAX_OVERDUE_PENALTY}, "
        f"{health.OVERDUE_ACTION_PENALTY} * {f}.overdue_actions)"
    )
    nothing = (
        f"({f}.open_actions = 0 AND NOT {f}.is_partner AND {f}.cadence IS NULL "
        f"AND {f}.last_hosted IS NULL AND {f}.last_joined IS NULL)"
    )
    sql = f"CASE WHEN {f}.is_home OR {nothing} THEN NULL ELSE 100 - {recency} - {overdue} END"
    return sql, [_day(), never, never]


def _as_datetime(value):
    """A datetime from the database (SQLite hands them back as text, in UTC)."""
    import datetime

    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def organization_engagement(request, acronym):
    """The organization page with its engagement health: the spells in force (as
    organization_detail, one query), the engagement facts and the last meeting held (one
    query), the cadences of the series (one query); the score from the same pure function
    the page uses (health.assess)."""
    from accord.meetings import health

    members = _members(acronym, 10_000)
    cadence_sql, cadence_params = _cadence_column("o")
    held = f"{_plus()}m.status = 'held' AND m.classification <> 'restricted'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH f AS MATERIALIZED (
              SELECT o.id, o.is_home, {_engagement_columns("o")}, {cadence_sql},
                EXISTS (SELECT 1 FROM registry_partnership p
                  JOIN registry_organization h ON h.is_home
                   AND ((p.organization_id = h.id AND p.partner_id = o.id)
                     OR (p.partner_id = h.id AND p.organization_id = o.id))
                  WHERE p.classification <> 'restricted') AS is_partner
              FROM registry_organization o WHERE o.acronym = %s)
            SELECT f.is_home, f.last_hosted, f.last_joined, f.open_actions,
              f.overdue_actions, f.cadence, f.is_partner,
              (SELECT m.title || ' ' || m.format FROM meetings_meeting m
                WHERE m.start = (CASE WHEN f.last_joined IS NULL
                  OR f.last_hosted > f.last_joined THEN f.last_hosted ELSE f.last_joined END)
                  AND {held} AND (m.host_organization_id = f.id OR m.id IN
                  (SELECT mo.meeting_id FROM meetings_meeting_organizations mo
                   WHERE mo.organization_id = f.id))
                ORDER BY m.id DESC LIMIT 1) AS last_meeting
            FROM f
            """,
            [*_engagement_params(), *cadence_params, acronym],
        )
        row = cursor.fetchone()
    is_home, hosted, joined, open_actions, overdue, cadence, is_partner, last_meeting = row
    last = max((_as_datetime(v) for v in (hosted, joined) if v is not None), default=None)
    nothing = not open_actions and not is_partner and cadence is None and last is None
    last_format = last_meeting.rsplit(" ", 1)[1] if last_meeting else ""
    engagement = health.assess(
        days_since=(timezone.localdate() - timezone.localdate(last)).days if last else None,
        cadence_days=cadence,
        last_format=last_format,
        open_actions=open_actions,
        overdue_actions=overdue,
        judged=not (is_home or nothing),
    )
    body = "".join(
        f"<tr><td>{escape(name)}</td><td>{iso3}</td><td>{status}</td>"
        f"<td>{valid_from or ''}</td><td>{valid_to or ''}</td></tr>"
        for _id, iso3, name, status, valid_from, valid_to, _version, _total in members
    )
    return HttpResponse(
        f"<!doctype html><title>{escape(acronym)}</title><p>{len(members)} spells in force</p>"
        f'<div data-score="{engagement.score}">{engagement.label}: '
        f"{escape(engagement.explanation)} {escape(last_meeting or '')}</div>"
        f'<table data-rows="{len(members)}"><tbody>{body}</tbody></table>'
    )
