"""Routes of the commitments pages (included by urls.py under the "knowledge" namespace)."""

from django.urls import path

from . import views_commitments as views

COMMITMENT = "knowledge/commitments/<int:pk>/"

urlpatterns = [
    path("knowledge/commitments/", views.CommitmentListView.as_view(), name="commitment_list"),
    path("knowledge/commitments/add/", views.CommitmentEditView.as_view(), name="commitment_add"),
    path(
        "knowledge/commitments/export/",
        views.CommitmentListView.as_view(export=True),
        name="commitment_export",
    ),
    path(
        "knowledge/commitments/link/", views.RecordLinkView.as_view(), name="commitment_link_record"
    ),
    path(COMMITMENT, views.CommitmentDetailView.as_view(), name="commitment_detail"),
    path(COMMITMENT + "edit/", views.CommitmentEditView.as_view(), name="commitment_edit"),
    path(COMMITMENT + "delete/", views.CommitmentDeleteView.as_view(), name="commitment_delete"),
    path(COMMITMENT + "history/", views.CommitmentHistoryView.as_view(), name="commitment_history"),
    path(COMMITMENT + "link/", views.CommitmentLinkView.as_view(), name="commitment_link"),
    path(COMMITMENT + "unlink/", views.CommitmentUnlinkView.as_view(), name="commitment_unlink"),
]
