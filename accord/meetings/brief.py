"""The brief for a meeting: what a principal reads before it, as a page and as a Word file.

For each partner at the meeting (the host and the participating organizations other than
the home one): its profile, the states it shares with the home organization, the basis of the
partnership, the outcomes of the last three meetings with it, the actions still open with it
and its focal points; and the meeting's themes. Everything comes through the selectors with
the requesting user, so the brief holds only what that user may see, and says so.

The cost is bounded: a fixed number of queries for the meeting and for all partners at once,
and a fixed number per partner for at most MAX_PARTNERS partners (a conference with more is
briefed on the first ones, host first, and the brief says how many were left out).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accord.core.choices import Classification
from accord.registry import selectors as registry
from accord.registry.models import Country, Organization, Partnership, Person

from . import selectors
from .choices import OPEN_ACTION_STATUSES
from .models import Action, Meeting

# Partners profiled in one brief; the last meetings with each.
MAX_PARTNERS = 8
LAST_MEETINGS = 3
# Open actions listed per partner (all are counted), focal points per partner.
MAX_ACTIONS = 25
MAX_FOCAL_POINTS = 25


@dataclass
class PartnerBrief:
    """What the brief says about one partner organization."""

    organization: Organization  # annotated member_count (members today)
    is_host: bool
    shared_members: list[Country]
    partnerships: list[Partnership]  # with the home organization, basis through the policy
    last_meetings: list[Meeting]  # held, latest first, with agenda and outcomes
    actions: list[Action]  # still open, annotated is_overdue, soonest due first
    open_count: int
    overdue_count: int
    focal_points: list[Person]


@dataclass
class Brief:
    meeting: Meeting
    home: Organization | None
    partners: list[PartnerBrief]
    left_out: int  # partners beyond MAX_PARTNERS
    prepared_by: str
    prepared_at: datetime.datetime  # aware, in the current time zone
    themes: list = field(default_factory=list)

    @property
    def classification_label(self) -> str:
        return Classification(self.meeting.classification).label

    @property
    def prepared_line(self) -> str:
        return _(
            "Prepared by %(user)s on %(when)s — contains only records visible to this user."
        ) % {
            "user": self.prepared_by,
            "when": formats.date_format(self.prepared_at, "DATETIME_FORMAT"),
        }


def display_name(user) -> str:
    full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    username = user.get_username()
    return f"{full} ({username})" if full else username


def partners_of(meeting: Meeting, home: Organization | None) -> list[Organization]:
    """The host first, then the participating organizations by acronym; never the home."""
    found: dict[int, Organization] = {}
    host = meeting.host_organization
    if host is not None:
        found[host.pk] = host
    for organization in sorted(meeting.organizations.all(), key=lambda o: o.acronym):
        found.setdefault(organization.pk, organization)
    return [o for o in found.values() if home is None or o.pk != home.pk]


def build(user, pk, *, now: datetime.datetime | None = None) -> Brief:
    """The brief of a meeting as `user` may see it; 404 when the meeting is hidden or missing."""
    meeting = selectors.meeting_get(user, pk)
    home = registry.home_organization()
    today = timezone.localdate()
    everyone = partners_of(meeting, home)
    chosen = everyone[:MAX_PARTNERS]
    ids = [o.pk for o in chosen]
    profiles = {o.pk: o for o in registry.organization_list(user=user).filter(pk__in=ids)}

    partnerships: dict[int, list[Partnership]] = {pk: [] for pk in ids}
    focal: dict[int, list[Person]] = {pk: [] for pk in ids}
    if ids:
        if home is not None:
            pairs = registry.partnership_list(user=user).filter(
                Q(organization=home, partner__in=ids) | Q(partner=home, organization__in=ids)
            )
            for partnership in pairs.order_by("since", "pk"):
                other = (
                    partnership.partner_id
                    if partnership.organization_id == home.pk
                    else partnership.organization_id
                )
                partnerships[other].append(partnership)
        people = registry.person_list(user=user).filter(organization__in=ids)
        for person in people.order_by("name", "pk"):
            if len(focal[person.organization_id]) < MAX_FOCAL_POINTS:
                focal[person.organization_id].append(person)

    partners = []
    for organization in chosen:
        profile = profiles.get(organization.pk, organization)
        shared = (
            list(registry.shared_member_countries(user=user, a=home, b=organization))
            if home is not None
            else []
        )
        last = [
            m
            for m in selectors.last_meetings_of(user, organization, n=LAST_MEETINGS + 1)
            if m.pk != meeting.pk
        ][:LAST_MEETINGS]
        open_actions = selectors.actions_for(user, organization=organization, today=today).filter(
            status__in=OPEN_ACTION_STATUSES
        )
        counts = open_actions.order_by().aggregate(
            open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today))
        )
        partners.append(
            PartnerBrief(
                organization=profile,
                is_host=organization.pk == meeting.host_organization_id,
                shared_members=shared,
                partnerships=partnerships[organization.pk],
                last_meetings=last,
                actions=list(open_actions[:MAX_ACTIONS]),
                open_count=counts["open"],
                overdue_count=counts["overdue"],
                focal_points=focal[organization.pk],
            )
        )
    return Brief(
        meeting=meeting,
        home=home,
        partners=partners,
        left_out=len(everyone) - len(chosen),
        prepared_by=display_name(user),
        prepared_at=timezone.localtime(now or timezone.now()),
        themes=list(meeting.themes.all()),
    )


# ---------------------------------------------------------------- the Word document


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def _local(value: datetime.datetime, zone) -> str:
    return formats.date_format(value.astimezone(zone), "DATETIME_FORMAT")


def _page_number_field(paragraph) -> None:
    """A PAGE field: Word (and LibreOffice) fills in the page's number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = "PAGE"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(end)


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    return table


def _facts(document, facts: list[tuple[str, str]]):
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text = ""
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    return table


def _none(document, text: str) -> None:
    document.add_paragraph().add_run(text).italic = True


def docx_bytes(brief: Brief) -> bytes:
    """The brief as a Word document (.docx)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    meeting = brief.meeting
    zone = meeting.tz
    banner = _("Classification: %(level)s") % {"level": brief.classification_label.upper()}
    document = Document()
    properties = document.core_properties
    properties.title = _("Brief: %(title)s") % {"title": meeting.title}
    properties.author = brief.prepared_by
    properties.created = brief.prepared_at.astimezone(datetime.UTC).replace(tzinfo=None)
    properties.category = brief.classification_label
    properties.comments = brief.prepared_line

    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(banner)
    run.bold = True
    run.font.color.rgb = RGBColor(0xA0, 0x00, 0x00)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(_("Page") + " ")
    _page_number_field(footer)
    footer.add_run(" · " + banner)

    document.add_heading(_("Brief: %(title)s") % {"title": meeting.title}, level=0)
    prepared = document.add_paragraph()
    prepared_run = prepared.add_run(brief.prepared_line)
    prepared_run.italic = True
    prepared_run.font.size = Pt(9)
    if meeting.is_sample:
        _none(document, _("Illustrative sample data, not a real meeting."))

    document.add_heading(_("The meeting"), level=1)
    when = f"{_local(meeting.start, zone)} – {_local(meeting.end, zone)} ({meeting.time_zone})"
    facts = [
        (_("When"), when),
        (_("Format"), meeting.get_format_display()),
        (_("Level"), meeting.get_level_display()),
        (_("Status"), meeting.get_status_display()),
        (_("Place"), meeting.place or meeting.online_link or "—"),
        (
            _("Host"),
            meeting.host_organization.acronym if meeting.host_organization else "—",
        ),
        (
            _("Organizations"),
            ", ".join(o.acronym for o in meeting.organizations.all()) or "—",
        ),
        (_("Classification"), brief.classification_label),
    ]
    _facts(document, facts)
    participants = list(meeting.participants.all())
    if participants:
        document.add_heading(_("Participants"), level=2)
        _table(
            document,
            [_("Name"), _("Organization"), _("Attendance")],
            [
                [p.person.name, p.person.organization.acronym, p.get_attendance_display()]
                for p in participants
            ],
        )
    agenda = list(meeting.agenda_items.all())
    document.add_heading(_("Agenda"), level=2)
    if agenda:
        for item in agenda:
            # The items' own numbers (a "List Number" style would number them again).
            document.add_paragraph(f"{item.position}. {item.title}")
    else:
        _none(document, _("No agenda yet."))

    document.add_heading(_("Themes"), level=1)
    if brief.themes:
        for theme in brief.themes:
            document.add_paragraph(theme.display_name, style="List Bullet")
    else:
        _none(document, _("No themes."))

    if not brief.partners:
        document.add_heading(_("Partners"), level=1)
        _none(document, _("No partner organization takes part in this meeting."))
    for partner in brief.partners:
        _partner_section(document, brief, partner)
    if brief.left_out:
        document.add_paragraph(
            _("%(count)d more organizations take part; this brief covers the first %(shown)d.")
            % {"count": brief.left_out, "shown": len(brief.partners)}
        )

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _partner_section(document, brief: Brief, partner: PartnerBrief) -> None:
    org = partner.organization
    title = f"{org.acronym} — {org.name}"
    if partner.is_host:
        title += " (" + _("host") + ")"
    document.add_heading(title, level=1)

    document.add_heading(_("Profile"), level=2)
    member_count = getattr(org, "member_count", None)
    _facts(
        document,
        [
            (_("Kind"), org.get_kind_display()),
            (_("Headquarters"), org.headquarters or "—"),
            (_("Founded"), str(org.founded) if org.founded else "—"),
            (_("Members today"), str(member_count) if member_count is not None else "—"),
        ],
    )

    home = brief.home.acronym if brief.home else _("the home organization")
    document.add_heading(
        _("Members shared with %(home)s") % {"home": home},
        level=2,
    )
    if partner.shared_members:
        document.add_paragraph(
            _("%(count)d states: %(names)s")
            % {
                "count": len(partner.shared_members),
                "names": ", ".join(c.display_name for c in partner.shared_members),
            }
        )
    else:
        _none(document, _("No shared members."))

    document.add_heading(_("Basis of the partnership"), level=2)
    if partner.partnerships:
        rows = []
        for p in partner.partnerships:
            basis = "; ".join(str(d) for d in p.basis.all()) or "—"
            rows.append([p.get_type_display(), p.get_status_display(), _date(p.since), basis])
        _table(document, [_("Type"), _("Status"), _("Since"), _("Basis")], rows)
    else:
        _none(document, _("No partnership on record."))

    document.add_heading(_("Last meetings"), level=2)
    if partner.last_meetings:
        for past in partner.last_meetings:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{_date(past.local_start.date())} — {past.title}").bold = True
            outcomes = [(item, o) for item in past.agenda_items.all() for o in item.outcomes.all()]
            if outcomes:
                for item, outcome in outcomes:
                    document.add_paragraph(
                        f"{outcome.get_kind_display()}: {outcome.text} ({item.title})",
                        style="List Bullet",
                    )
            else:
                _none(document, _("No outcomes recorded."))
    else:
        _none(document, _("No earlier meeting held."))

    document.add_heading(_("Open actions"), level=2)
    if partner.actions:
        document.add_paragraph(
            _("%(open)d open, %(overdue)d overdue.")
            % {"open": partner.open_count, "overdue": partner.overdue_count}
        )
        rows = []
        for action in partner.actions:
            owner = action.owner_user or getattr(action, "owner_person", None)
            rows.append(
                [
                    action.title,
                    str(owner) if owner else "—",
                    _date(action.due),
                    _("Overdue") if action.is_overdue else action.get_status_display(),
                ]
            )
        _table(document, [_("What"), _("Owner"), _("Due"), _("Status")], rows)
    else:
        _none(document, _("No open actions."))

    document.add_heading(_("Focal points"), level=2)
    if partner.focal_points:
        _table(
            document,
            [_("Name"), _("Title"), _("Email"), _("Phone")],
            [
                [p.name, p.title or "—", p.email or "—", p.phone or "—"]
                for p in partner.focal_points
            ],
        )
    else:
        _none(document, _("No focal points on record."))
