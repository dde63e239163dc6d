"""Routes of the requests pages (included by urls.py under the "knowledge" namespace)."""

from django.urls import path

from . import views_requests as views

REQUEST = "knowledge/requests/<int:pk>/"

urlpatterns = [
    path("knowledge/requests/", views.RequestListView.as_view(), name="request_list"),
    path("knowledge/requests/add/", views.RequestEditView.as_view(), name="request_add"),
    path("knowledge/requests/submit/", views.RequestSubmitView.as_view(), name="request_submit"),
    path(
        "knowledge/requests/export/",
        views.RequestListView.as_view(export=True),
        name="request_export",
    ),
    path(REQUEST, views.RequestDetailView.as_view(), name="request_detail"),
    path(REQUEST + "edit/", views.RequestEditView.as_view(), name="request_edit"),
    path(REQUEST + "answer/", views.RequestAnswerView.as_view(), name="request_answer"),
    path(REQUEST + "delete/", views.RequestDeleteView.as_view(), name="request_delete"),
    path(REQUEST + "history/", views.RequestHistoryView.as_view(), name="request_history"),
]
