"""The app's URLs plus the baseline views, for the benchmarks only."""

from django.urls import include, path

from . import baseline

urlpatterns = [
    path("bench/organizations/", baseline.organization_list, name="bench_organization_list"),
    path(
        "bench/organizations/<str:acronym>/",
        baseline.organization_detail,
        name="bench_organization_detail",
    ),
    path(
        "bench/api/organizations/<str:acronym>/members",
        baseline.organization_members,
        name="bench_organization_members",
    ),
    path("bench/calendar/", baseline.calendar_month, name="bench_calendar_month"),
    path("bench/actions/overdue/", baseline.overdue_actions, name="bench_overdue_actions"),
    path(
        "bench/organizations/<str:acronym>/engagement/",
        baseline.organization_engagement,
        name="bench_organization_engagement",
    ),
    path("", include("accord.urls")),
]
