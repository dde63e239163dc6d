"""Calendar files, the secret calendar feed, its subscription page, and the meeting brief.

- /meetings/<id>/ics/ and /meetings/series/<id>/ics/: .ics downloads, for a logged-in user;
- /calendar/feed/<token>.ics: the user's feed, with no login (the token is the credential),
  read with the user's role and organization as they are at that moment;
- /calendar/subscription/: make, renew or revoke the feed, and choose the reminder language;
- /meetings/<id>/brief/ and /meetings/<id>/brief.docx: the meeting brief, page and Word file.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from ninja.throttling import AnonRateThrottle

from accord.core import policy
from accord.core.security import client_ip

from . import brief as briefs
from . import feed_tokens, ical, selectors

ICS_TYPE = "text/calendar; charset=utf-8"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_role(request) -> None:
    if not policy.can_view(request.user):
        raise PermissionDenied(_("Your account has no role in this workspace."))


def _ics_response(cal, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type=ICS_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# ---------------------------------------------------------------- downloads


@require_safe
def meeting_ics(request, pk):
    """One meeting as an .ics file; 404 when the user may not see it."""
    _require_role(request)
    meeting = selectors.meeting_get(request.user, pk)
    cal = ical.calendar([meeting], domain=ical.domain_of(request), name=meeting.title)
    return _ics_response(cal, f"meeting-{meeting.pk}.ics")


@require_safe
def series_ics(request, pk):
    """The meetings of a series the user may see, as one .ics file."""
    _require_role(request)
    series = selectors.series_get(request.user, pk)
    meetings = ical.series_meetings(request.user, series)
    cal = ical.calendar(meetings, domain=ical.domain_of(request), name=series.title)
    return _ics_response(cal, f"series-{series.pk}.ics")


# ---------------------------------------------------------------- the secret feed


class FeedRateThrottle(AnonRateThrottle):
    """Feed reads per client address (ACCORD_FEED_RATE), in the shared cache: guessing tokens
    is slow, and a calendar client polling every few minutes is never refused."""

    scope = "calendar-feed"

    def __init__(self):
        super().__init__("120/m")

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, "ACCORD_FEED_RATE", "120/m")
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request) -> str | None:
        return client_ip(request)


feed_throttle = FeedRateThrottle()


@login_not_required
@require_safe
def calendar_feed(request, token):
    """The user's meetings from a year ago to two years ahead, as they may see them now.

    An unknown or revoked token, or a user who is inactive or has no role, is a 404.
    """
    if not feed_throttle.allow_request(request):
        response = HttpResponse(_("Too many requests; try again in a minute."), status=429)
        response["Retry-After"] = "60"
        return response
    user = feed_tokens.feed_user(token)
    if user is None:
        raise Http404
    with translation.override(feed_tokens.preferred_language(user) or translation.get_language()):
        meetings = ical.feed_meetings(user)
        cal = ical.calendar(
            meetings,
            domain=ical.domain_of(request),
            name=_("Accord meetings"),
            refresh=ical.REFRESH,
        )
        response = _ics_response(cal, "accord.ics", attachment=False)
    # The address is the credential: no cache keeps the answer, no page passes it on.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of reminder emails and of the calendar feed"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("The workspace's default")),
            *[(code, name) for code, name in settings.LANGUAGES],
        ]


def feed_url(request, raw: str) -> str:
    return request.build_absolute_uri(reverse("meeting_feeds:calendar_feed", args=[raw]))


@require_http_methods(["GET", "POST"])
def subscription(request):
    """Subscribe to one's calendar: the address is shown once, when it is made or renewed."""
    _require_role(request)
    user = request.user
    new_url = None
    form = LanguageForm(initial={"language": feed_tokens.preferred_language(user) or ""})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("create", "renew"):
            _feed, raw = feed_tokens.feed_create(user=user)
            new_url = feed_url(request, raw)
        elif action == "revoke":
            if feed_tokens.feed_revoke(user=user):
                messages.success(
                    request, _("Your calendar feed is revoked: its address no longer works.")
                )
            return redirect("meeting_feeds:subscription")
        elif action == "language":
            form = LanguageForm(request.POST)
            if form.is_valid():
                feed_tokens.preference_set(user=user, language=form.cleaned_data["language"])
                messages.success(request, _("Your language for reminders and the feed is saved."))
                return redirect("meeting_feeds:subscription")
            status = 400
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    context = {
        "feed": feed_tokens.feed_get(user=user),
        "new_url": new_url,
        "webcal_url": "webcal://" + new_url.split("://", 1)[1] if new_url else None,
        "form": form,
        "past_days": ical.FEED_PAST.days,
        "ahead_days": ical.FEED_AHEAD.days,
    }
    response = render(request, "meetings/calendar_subscription.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- the brief


@require_safe
def brief_page(request, pk):
    """The meeting brief as a page, as the user may see it; 404 when the meeting is hidden."""
    _require_role(request)
    brief = briefs.build(request.user, pk)
    response = render(request, "meetings/brief.html", {"brief": brief, "meeting": brief.meeting})
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def brief_docx(request, pk):
    """The meeting brief as a Word document."""
    _require_role(request)
    brief = briefs.build(request.user, pk)
    response = HttpResponse(briefs.docx_bytes(brief), content_type=DOCX_TYPE)
    day = timezone.localdate().isoformat()
    filename = f"brief-meeting-{brief.meeting.pk}-{day}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def register_account_link() -> None:
    """The account page links to the calendar subscription (accord/core/extensions.py)."""
    from accord.core import extensions

    extensions.register_account_link(
        "calendar-subscription",
        label=gettext_lazy("Your calendar: subscribe, and reminders"),
        url_name="meeting_feeds:subscription",
        icon="bi-calendar-check",
        order=10,
    )
