"""Calendar files and feeds, and the meeting brief (accord/meetings/feeds.py)."""

from django.urls import path

from . import feeds

app_name = "meeting_feeds"

urlpatterns = [
    path("meetings/<int:pk>/ics/", feeds.meeting_ics, name="meeting_ics"),
    path("meetings/series/<int:pk>/ics/", feeds.series_ics, name="series_ics"),
    path("meetings/<int:pk>/brief/", feeds.brief_page, name="brief"),
    path("meetings/<int:pk>/brief.docx", feeds.brief_docx, name="brief_docx"),
    path("calendar/subscription/", feeds.subscription, name="subscription"),
    # The token as secrets.token_urlsafe() makes it; feed_tokens.feed_user() checks its form
    # (anything else is an ordinary 404).
    path("calendar/feed/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
]
