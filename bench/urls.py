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
    path("", include("accord.urls")),
]
