"""Routes of the practices pages (included by urls.py under the "knowledge" namespace)."""

from django.urls import path

from . import views_practices as views

PRACTICE = "knowledge/practices/<int:pk>/"

urlpatterns = [
    path("knowledge/practices/", views.PracticeListView.as_view(), name="practice_list"),
    path("knowledge/practices/add/", views.PracticeEditView.as_view(), name="practice_add"),
    path(
        "knowledge/practices/export/",
        views.PracticeListView.as_view(export=True),
        name="practice_export",
    ),
    path(PRACTICE, views.PracticeDetailView.as_view(), name="practice_detail"),
    path(PRACTICE + "edit/", views.PracticeEditView.as_view(), name="practice_edit"),
    path(PRACTICE + "delete/", views.PracticeDeleteView.as_view(), name="practice_delete"),
    path(PRACTICE + "history/", views.PracticeHistoryView.as_view(), name="practice_history"),
    path(PRACTICE + "shares/", views.PracticeShareView.as_view(), name="practice_share"),
    path(
        PRACTICE + "shares/<int:share>/delete/",
        views.PracticeShareDeleteView.as_view(),
        name="practice_share_delete",
    ),
]
