from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/add/", views.OrganizationEditView.as_view(), name="organization_add"),
    path(
        "organizations/export/",
        views.OrganizationListView.as_view(export=True),
        name="organization_export",
    ),
    path(
        "organizations/<str:key>/",
        views.OrganizationDetailView.as_view(),
        name="organization_detail",
    ),
    path(
        "organizations/<str:key>/members/export/",
        views.OrganizationMembersExportView.as_view(),
        name="organization_members_export",
    ),
    path(
        "organizations/<str:key>/edit/",
        views.OrganizationEditView.as_view(),
        name="organization_edit",
    ),
    path(
        "organizations/<str:key>/delete/",
        views.OrganizationDeleteView.as_view(),
        name="organization_delete",
    ),
    path(
        "organizations/<str:key>/history/",
        views.OrganizationHistoryView.as_view(),
        name="organization_history",
    ),
    path(
        "organizations/<str:key>/journal/",
        views.OrganizationJournalView.as_view(),
        name="organization_journal",
    ),
    path(
        "organizations/<str:key>/members/bulk/",
        views.MembershipBulkView.as_view(),
        name="membership_bulk",
    ),
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("countries/add/", views.CountryEditView.as_view(), name="country_add"),
    path("countries/export/", views.CountryListView.as_view(export=True), name="country_export"),
    path("countries/<str:key>/", views.CountryDetailView.as_view(), name="country_detail"),
    path(
        "countries/<str:key>/memberships/export/",
        views.CountryMembershipsExportView.as_view(),
        name="country_memberships_export",
    ),
    path("countries/<str:key>/edit/", views.CountryEditView.as_view(), name="country_edit"),
    path("countries/<str:key>/delete/", views.CountryDeleteView.as_view(), name="country_delete"),
    path(
        "countries/<str:key>/history/",
        views.CountryHistoryView.as_view(),
        name="country_history",
    ),
    path("memberships/add/", views.MembershipEditView.as_view(), name="membership_add"),
    path("memberships/<int:pk>/", views.MembershipDetailView.as_view(), name="membership_detail"),
    path("memberships/<int:pk>/edit/", views.MembershipEditView.as_view(), name="membership_edit"),
    path(
        "memberships/<int:pk>/delete/",
        views.MembershipDeleteView.as_view(),
        name="membership_delete",
    ),
    path(
        "memberships/<int:pk>/history/",
        views.MembershipHistoryView.as_view(),
        name="membership_history",
    ),
    path("partnerships/", views.PartnershipListView.as_view(), name="partnership_list"),
    path("partnerships/add/", views.PartnershipEditView.as_view(), name="partnership_add"),
    path(
        "partnerships/export/",
        views.PartnershipListView.as_view(export=True),
        name="partnership_export",
    ),
    path(
        "partnerships/<int:pk>/", views.PartnershipDetailView.as_view(), name="partnership_detail"
    ),
    path(
        "partnerships/<int:pk>/edit/", views.PartnershipEditView.as_view(), name="partnership_edit"
    ),
    path(
        "partnerships/<int:pk>/delete/",
        views.PartnershipDeleteView.as_view(),
        name="partnership_delete",
    ),
    path(
        "partnerships/<int:pk>/history/",
        views.PartnershipHistoryView.as_view(),
        name="partnership_history",
    ),
    path(
        "partnerships/<int:pk>/journal/",
        views.PartnershipJournalView.as_view(),
        name="partnership_journal",
    ),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/add/", views.PersonEditView.as_view(), name="person_add"),
    path("people/export/", views.PersonListView.as_view(export=True), name="person_export"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path("people/<int:pk>/history/", views.PersonHistoryView.as_view(), name="person_history"),
    path(
        "people/<int:pk>/journal/",
        views.PersonJournalView.as_view(),
        name="person_journal",
    ),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/add/", views.DocumentEditView.as_view(), name="document_add"),
    path("documents/export/", views.DocumentListView.as_view(export=True), name="document_export"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path("documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path(
        "documents/<int:pk>/history/", views.DocumentHistoryView.as_view(), name="document_history"
    ),
    path(
        "documents/<int:pk>/journal/",
        views.DocumentJournalView.as_view(),
        name="document_journal",
    ),
]
