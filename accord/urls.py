from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accord.api import api

urlpatterns = [
    path("", include("accord.core.urls")),
    path("", include("accord.registry.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
