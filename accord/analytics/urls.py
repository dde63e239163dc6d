from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.AnalyticsIndexView.as_view(), name="index"),
    path("overlap/", views.OverlapView.as_view(), name="overlap"),
    path("overlap.<str:fmt>", views.OverlapView.as_view(), name="overlap_download"),
    path("neighbourhood/", views.NeighbourhoodView.as_view(), name="neighbourhood"),
    path("network/", views.NetworkView.as_view(), name="network"),
    path("advantage/", views.AdvantageView.as_view(), name="advantage"),
    path("advantage.<str:fmt>", views.AdvantageView.as_view(), name="advantage_download"),
    path("network.<str:fmt>", views.NetworkView.as_view(), name="network_download"),
    path(
        "neighbourhood.<str:fmt>",
        views.NeighbourhoodView.as_view(),
        name="neighbourhood_download",
    ),
    path(
        "organizations/<str:key>/membership.<str:fmt>",
        views.MembershipChartView.as_view(),
        name="membership_chart",
    ),
]
