from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accord.api import api

# An unknown address under /api/ answers JSON like every API error; pages get the 404 page.
handler404 = "accord.core.views.page_not_found"

urlpatterns = [
    path("", include("accord.core.urls")),
    path("", include("accord.registry.urls")),
    path("", include("accord.journal.urls")),
    path("", include("accord.meetings.urls")),
    path("", include("accord.knowledge.urls")),
    path("", include("accord.search.urls")),
    path("analytics/", include("accord.analytics.urls")),
    # Calendar files, the secret calendar feed and the meeting brief.
    path("", include("accord.meetings.feed_urls")),
    # The language switcher works on the login page too (it only sets a cookie).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
