from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("journal/", views.JournalListView.as_view(), name="entry_list"),
    path("journal/<int:pk>/", views.JournalEntryDetailView.as_view(), name="entry_detail"),
    path("journal/<int:pk>/edit/", views.JournalEntryEditView.as_view(), name="entry_edit"),
    path("journal/<int:pk>/delete/", views.JournalEntryDeleteView.as_view(), name="entry_delete"),
    path(
        "journal/<int:pk>/history/", views.JournalEntryHistoryView.as_view(), name="entry_history"
    ),
]
