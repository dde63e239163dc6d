"""Generic views every domain app uses: list, detail, edit, delete, history."""

from __future__ import annotations

import django_tables2
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_safe

from . import conflicts, exports, extensions, policy
from .exceptions import ConflictError
from .history import history_page
from .pagecache import KeptPageMixin


def page_size(request) -> int:
    from django.conf import settings

    try:
        size = int(request.GET.get("per_page", settings.ACCORD_PAGE_SIZE))
    except ValueError:
        size = settings.ACCORD_PAGE_SIZE
    return max(1, min(size, 200))


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, for a view that counted them already."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count  # instead of the cached property's COUNT query


class RequestConfig(django_tables2.RequestConfig):
    """django-tables2's, with the page size from page_size(), not the raw ?per_page=.

    django-tables2 takes ?per_page= as it comes: 0 or less was a server error, and a huge one
    skipped the limit of 200 rows a page. Build tables without `request=` and configure them
    with this. `count`: the number of rows, when the view knows it (no COUNT query then).
    """

    def configure(self, table, *, count: int | None = None):
        table.request = self.request
        order_by = self.request.GET.getlist(table.prefixed_order_by_field)
        if order_by:
            table.order_by = order_by
        if self.paginate:
            try:
                page = int(self.request.GET.get(table.prefixed_page_field, 1))
            except ValueError:
                page = 1
            counted = {} if count is None else {"paginator_class": CountedPaginator, "count": count}
            try:
                table.paginate(page=page, per_page=page_size(self.request), **counted)
            except EmptyPage:
                table.page = table.paginator.page(table.paginator.num_pages)
        return table


def safe_next(request, default: str = "/") -> str:
    """?next= when it is an address on this site, else `default` (no javascript:, no other host)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class PolicyMixin:
    """Pages need a role; changes need the editor role."""

    edit = False

    def dispatch(self, request, *args, **kwargs):
        if not policy.can_view(request.user):
            raise PermissionDenied(_("Your account has no role in this workspace."))
        if self.edit and not policy.can_edit(request.user):
            raise PermissionDenied(_("You may look at records but not change them."))
        return super().dispatch(request, *args, **kwargs)


class DashboardView(PolicyMixin, View):
    """The home page: the panels the apps register (accord/core/extensions.py), in order."""

    def get(self, request):
        columns = extensions.dashboard_columns(request)
        return render(request, "core/dashboard.html", {"columns": columns})


class ObjectListView(PolicyMixin, KeptPageMixin, View):
    """A filtered, sorted, paginated table; an htmx request gets only the results.

    With `export_url_name` the page offers its rows as CSV and XLSX; that route is the same
    view with `as_view(export=True)`, so the file holds what the page shows (filters, search,
    sort, policy), every row rather than one page.
    """

    template_name = "core/object_list.html"
    filterset_class = None
    table_class = None
    title = ""
    add_url_name = None
    export_url_name = None
    export = False
    # The file's name before the date: "organizations" gives organizations-2026-11-29.csv.
    export_filename = "export"

    def get_queryset(self, request):
        raise NotImplementedError

    def get_table(self, rows):
        return self.table_class(rows)

    def extra_context(self, request) -> dict:
        """What a subclass's template shows besides the filters and the table."""
        return {}

    def page_ready(self, request, table) -> None:
        """Called with the table paginated, before it is drawn: a subclass may give the
        records of the page what they show, in one query for the page."""

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset(request)
        filterset = self.filterset_class(request.GET or None, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        if filterset.is_bound and not filterset.is_valid():
            rows = queryset.none()
        # Not `request=request`: the table would paginate itself by the raw ?per_page= too.
        table = self.get_table(rows)
        if self.export:
            return self.export_table(request, filterset, table)
        RequestConfig(request, paginate={"per_page": page_size(request)}).configure(table)
        self.page_ready(request, table)
        context = {
            "title": self.title,
            "filterset": filterset,
            "table": table,
            "add_url": reverse(self.add_url_name)
            if self.add_url_name and policy.can_edit(request.user)
            else None,
            "export_links": exports.export_links(request, reverse(self.export_url_name))
            if self.export_url_name
            else None,
            **self.extra_context(request),
        }
        template = f"{self.template_name}#results" if request.htmx else self.template_name
        return render(request, template, context)

    def export_table(self, request, filterset, table):
        back_url = request.path.rsplit("export/", 1)[0]
        if filterset.is_bound and not filterset.is_valid():
            return exports.error_response(
                request,
                title=str(self.title),
                errors=exports.form_errors(filterset),
                back_url=back_url,
            )
        RequestConfig(request, paginate=False).configure(table)
        return exports.export(
            request,
            table.data.data,
            exports.table_columns(table),
            filename=f"{self.export_filename}-{timezone.localdate().isoformat()}",
            title=str(self.title),
            back_url=back_url,
        )


class ObjectEditView(PolicyMixin, View):
    """Create or edit one record through its services; a stale version is a form error.

    `create_service(actor=, **fields)` and `update_service(actor=, <instance_name>=,
    expected_version=, **fields)` are the domain's service functions (wrap in staticmethod).
    """

    edit = True
    form_class = None
    template_name = "core/object_form.html"
    create_service = None
    update_service = None
    instance_name = ""

    def get_object(self, request, **kwargs):
        return None

    def get_initial(self, request):
        return {}

    def service_fields(self, form, obj) -> dict:
        return form.service_fields()

    def save(self, form, obj):
        fields = self.service_fields(form, obj)
        if obj is None:
            return self.create_service(actor=self.request.user, **fields)
        return self.update_service(
            actor=self.request.user,
            expected_version=form.cleaned_data["version"],
            **{self.instance_name: obj},
            **fields,
        )

    def get_success_url(self, obj):
        return obj.get_absolute_url()

    def context(self, request, form, obj):
        model = self.form_class._meta.model
        return {
            "form": form,
            "object": obj,
            "title": (
                _("Edit %(object)s") % {"object": obj}
                if obj
                else _("Add %(model)s") % {"model": model._meta.verbose_name}
            ),
            "cancel_url": obj.get_absolute_url() if obj else safe_next(self.request),
        }

    def get(self, request, *args, **kwargs):
        obj = self.get_object(request, **kwargs)
        form = self.form_class(instance=obj, initial=self.get_initial(request), user=request.user)
        return render(request, self.template_name, self.context(request, form, obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object(request, **kwargs)
        # "Take theirs" chosen in a comparison: their value replaces what the field holds.
        data = conflicts.apply_choices(obj, request.POST) if obj is not None else request.POST
        form = self.form_class(data, instance=obj, user=request.user)
        if form.is_valid():
            try:
                saved = self.save(form, obj)
            except ConflictError as exc:
                return self.stale(request, form, obj, exc, data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved %(object)s.") % {"object": saved})
                return HttpResponseRedirect(self.get_success_url(saved))
        return render(request, self.template_name, self.context(request, form, obj), status=400)

    def stale(self, request, form, obj, exc, data):
        """The form again at the current version, with what others changed beside yours."""
        comparison = conflicts.compare(
            obj,
            user=request.user,
            base_version=form.cleaned_data["version"],
            mine=self.service_fields(form, obj),
        )
        if comparison is None:  # deleted meanwhile
            form.add_error(None, exc.message)
            return render(request, self.template_name, self.context(request, form, obj), 409)
        merged = conflicts.with_values(
            data, type(obj), comparison.values, version=comparison.current_version
        )
        form = self.form_class(merged, instance=obj, user=request.user)
        context = self.context(request, form, obj)
        context["comparison"] = comparison
        return render(request, self.template_name, context, status=409)


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ObjectDeleteView(PolicyMixin, View):
    """Delete one record through `delete_service(actor=, <instance_name>=, expected_version=)`."""

    edit = True
    # `delete()` below is the service hook, not the HTTP DELETE handler: the form POSTs.
    http_method_names = ["get", "post", "head", "options"]
    template_name = "core/object_confirm_delete.html"
    success_url_name = None
    delete_service = None
    instance_name = ""

    def get_object(self, request, **kwargs):
        raise NotImplementedError

    def delete(self, obj, version):
        return self.delete_service(
            actor=self.request.user, expected_version=version, **{self.instance_name: obj}
        )

    def context(self, obj, **extra):
        from .services import delete_preview

        return {"object": obj, "preview": delete_preview(obj), **extra}

    def get(self, request, *args, **kwargs):
        obj = self.get_object(request, **kwargs)
        return render(request, self.template_name, self.context(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object(request, **kwargs)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            self.delete(obj, version)
        except (ConflictError, ValidationError) as exc:
            message = exc.message if isinstance(exc, ConflictError) else " ".join(exc.messages)
            return render(request, self.template_name, self.context(obj, error=message), status=409)
        messages.success(
            request,
            _("Deleted %(object)s. It can be brought back from “Recently deleted”.")
            % {"object": obj},
        )
        return HttpResponseRedirect(reverse(self.success_url_name))


class ObjectHistoryView(PolicyMixin, KeptPageMixin, View):
    """A record's changes with their differences; editors restore an earlier version."""

    template_name = "core/object_history.html"
    # The domain's update service (staticmethod), so a restore keeps the rules an edit keeps.
    update_service = None
    instance_name = ""

    def get_object(self, request, **kwargs):
        raise NotImplementedError

    def restore(self, obj, history_id, version):
        from .services import restore

        def update(instance, **kwargs):
            return self.update_service(**{self.instance_name: instance}, **kwargs)

        return restore(
            obj,
            actor=self.request.user,
            history_id=history_id,
            expected_version=version,
            update_service=update if self.update_service else None,
        )

    def get(self, request, *args, **kwargs):
        obj = self.get_object(request, **kwargs)
        page_obj, changes = history_page(obj, user=request.user, page=request.GET.get("page", 1))
        return render(
            request,
            self.template_name,
            {"object": obj, "page_obj": page_obj, "changes": changes},
        )

    def post(self, request, *args, **kwargs):
        if not policy.can_edit(request.user):
            raise PermissionDenied(_("You may look at records but not change them."))
        obj = self.get_object(request, **kwargs)
        try:
            history_id = int(request.POST["history_id"])
            version = int(request.POST["version"])
        except (KeyError, ValueError):
            messages.error(request, _("Choose a version to restore."))
            return HttpResponseRedirect(request.path)
        try:
            restored = self.restore(obj, history_id, version)
        except ConflictError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Restored the earlier version."))
            if restored.not_restored:
                messages.warning(
                    request,
                    _("Records deleted since could not be brought back in: %(fields)s.")
                    % {"fields": ", ".join(restored.not_restored)},
                )
        return HttpResponseRedirect(request.path)


class DeletedListView(PolicyMixin, View):
    """Records deleted lately, newest first, for editors to look at and bring back."""

    edit = True

    def get(self, request):
        from django.core.paginator import Paginator

        from .models import Deletion

        page = Paginator(Deletion.objects.select_related("user", "restored_by"), 25).get_page(
            request.GET.get("page", 1)
        )
        return render(
            request,
            "core/deleted_list.html",
            {
                "title": _("Recently deleted"),
                "page_obj": page,
                "deletions": describe(page),
                "export_links": exports.export_links(request, reverse("deleted_export")),
            },
        )


class DeletedExportView(PolicyMixin, View):
    """Every deletion (not one page) as CSV or XLSX, for editors."""

    edit = True

    def get(self, request):
        from .models import Deletion

        deletions = Deletion.objects.select_related("user", "restored_by")
        system = _("system")
        columns = [
            exports.Column(_("Deleted"), lambda row: row["deletion"].deleted),
            exports.Column(_("Kind"), lambda row: capfirst(row["kind"])),
            exports.Column(_("Record"), lambda row: row["deletion"].label),
            exports.Column(_("Went with it"), lambda row: "; ".join(row["went"])),
            exports.Column(_("By"), lambda row: str(row["deletion"].user or system)),
            exports.Column(_("Brought back"), lambda row: row["deletion"].restored),
        ]
        if exports.requested_format(request) is None or deletions.count() > exports.max_rows():
            rows = deletions  # export() answers with the message, before reading any row
        else:
            rows = describe(deletions)
        return exports.export(
            request,
            rows,
            columns,
            filename=f"deleted-{timezone.localdate().isoformat()}",
            title=str(_("Recently deleted")),
            back_url=reverse("deleted_list"),
        )


def describe(deletions) -> list[dict]:
    """Each deletion with its kind of record and what went with it, in words."""
    from django.apps import apps

    rows = []
    for deletion in deletions:
        model = deletion.model_class
        went = []
        for entry in deletion.contents:
            other = apps.get_model(entry["model"])
            went.append(f"{entry['count']} {other._meta.verbose_name_plural}")
        for entry in deletion.unlinked:
            if "through" in entry:  # many-to-many links: shown in the records' history
                continue
            other = apps.get_model(entry["model"])
            went.append(
                _("%(count)s %(model)s lost their link")
                % {"count": len(entry["ids"]), "model": other._meta.verbose_name_plural}
            )
        rows.append({"deletion": deletion, "kind": model._meta.verbose_name, "went": went})
    return rows


class DeletedDetailView(PolicyMixin, View):
    """One deletion: what went, the record's history, and a button to bring it all back."""

    edit = True

    def get_deletion(self, pk):
        from django.shortcuts import get_object_or_404

        from .models import Deletion

        return get_object_or_404(Deletion.objects.select_related("user", "restored_by"), pk=pk)

    def get(self, request, pk):
        deletion = self.get_deletion(pk)
        record = deletion.model_class(pk=deletion.object_id)
        page_obj, changes = history_page(record, user=request.user, page=request.GET.get("page"))
        return render(
            request,
            "core/deleted_detail.html",
            {
                "title": _("Deleted: %(record)s") % {"record": deletion.label},
                "deletion": deletion,
                "row": describe([deletion])[0],
                "page_obj": page_obj,
                "changes": changes,
            },
        )

    def post(self, request, pk):
        from .services import restore_deletion

        deletion = self.get_deletion(pk)
        try:
            restore_deletion(deletion, actor=request.user)
        except ValidationError as exc:
            messages.error(
                request,
                _("It cannot be brought back: %(reason)s") % {"reason": " ".join(exc.messages)},
            )
            return HttpResponseRedirect(request.path)
        messages.success(request, _("Brought back %(record)s.") % {"record": deletion.label})
        if deletion.not_restored:
            messages.warning(
                request,
                _("Records deleted since could not be linked again in: %(fields)s.")
                % {"fields": ", ".join(deletion.not_restored)},
            )
        restored = deletion.model_class._base_manager.get(pk=deletion.object_id)
        return HttpResponseRedirect(restored.get_absolute_url())


def page_not_found(request, exception):
    """404: JSON under /api/ (as every API error), the application's page elsewhere."""
    from django.http import JsonResponse
    from django.views import defaults

    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


@login_not_required
@require_safe
def favicon(request):
    """/favicon.ico for clients that ask for it without reading the page's <link rel=icon>."""
    from django.contrib.staticfiles import finders
    from django.http import HttpResponse

    with open(finders.find("accord/favicon.svg"), "rb") as handle:
        response = HttpResponse(handle.read(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
