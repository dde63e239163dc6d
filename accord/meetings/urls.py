from django.urls import path

from . import views

app_name = "meetings"

MEETING = "meetings/<int:pk>/"
ITEM = MEETING + "agenda/<int:item>/"
OUTCOME = ITEM + "outcomes/<int:outcome>/"
SERIES = "meetings/series/<int:pk>/"
ACTION = "actions/<int:pk>/"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", views.MeetingEditView.as_view(), name="meeting_add"),
    path("meetings/export/", views.MeetingListView.as_view(export=True), name="meeting_export"),
    path("meetings/calendar/", views.CalendarView.as_view(), name="calendar"),
    path(MEETING, views.MeetingDetailView.as_view(), name="meeting_detail"),
    path(MEETING + "edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path(MEETING + "delete/", views.MeetingDeleteView.as_view(), name="meeting_delete"),
    path(MEETING + "history/", views.MeetingHistoryView.as_view(), name="meeting_history"),
    path(MEETING + "journal/", views.MeetingJournalView.as_view(), name="meeting_journal"),
    path(MEETING + "agenda/add/", views.AgendaItemEditView.as_view(), name="agenda_item_add"),
    path(ITEM + "edit/", views.AgendaItemEditView.as_view(), name="agenda_item_edit"),
    path(ITEM + "delete/", views.AgendaItemDeleteView.as_view(), name="agenda_item_delete"),
    path(ITEM + "move/", views.AgendaItemMoveView.as_view(), name="agenda_item_move"),
    path(ITEM + "outcomes/add/", views.OutcomeEditView.as_view(), name="outcome_add"),
    path(OUTCOME + "edit/", views.OutcomeEditView.as_view(), name="outcome_edit"),
    path(OUTCOME + "delete/", views.OutcomeDeleteView.as_view(), name="outcome_delete"),
    path(
        MEETING + "attachments/add/",
        views.AttachmentUploadView.as_view(),
        name="attachment_add",
    ),
    path(
        "meetings/attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "meetings/attachments/<int:pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path("meetings/series/", views.SeriesListView.as_view(), name="series_list"),
    path("meetings/series/add/", views.SeriesEditView.as_view(), name="series_add"),
    path(
        "meetings/series/export/",
        views.SeriesListView.as_view(export=True),
        name="series_export",
    ),
    path(SERIES, views.SeriesDetailView.as_view(), name="series_detail"),
    path(SERIES + "edit/", views.SeriesEditView.as_view(), name="series_edit"),
    path(SERIES + "delete/", views.SeriesDeleteView.as_view(), name="series_delete"),
    path(SERIES + "history/", views.SeriesHistoryView.as_view(), name="series_history"),
    path(SERIES + "next/", views.SeriesNextView.as_view(), name="series_next"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/add/", views.ActionEditView.as_view(), name="action_add"),
    path("actions/export/", views.ActionListView.as_view(export=True), name="action_export"),
    path("actions/bulk/", views.ActionBulkView.as_view(), name="action_bulk"),
    path(ACTION, views.ActionDetailView.as_view(), name="action_detail"),
    path(ACTION + "edit/", views.ActionEditView.as_view(), name="action_edit"),
    path(ACTION + "delete/", views.ActionDeleteView.as_view(), name="action_delete"),
    path(ACTION + "history/", views.ActionHistoryView.as_view(), name="action_history"),
    path(ACTION + "done/", views.ActionDoneView.as_view(), name="action_done"),
]
