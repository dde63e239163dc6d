"""The meetings app's picker kinds (accord.core.pickers): series, meetings, themes and users."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import formats

from accord.core import policy
from accord.core.pickers import PickerKind, register
from accord.registry.pickers import best_first
from accord.taxonomy.models import Theme

from .models import Meeting, Series


def search_series(queryset, q):
    return best_first(queryset.filter(title__icontains=q), Q(title__istartswith=q), "title")


def search_meetings(queryset, q):
    found = queryset.filter(Q(title__icontains=q) | Q(place__icontains=q))
    return best_first(found, Q(title__istartswith=q), "-start")


def meeting_label(meeting) -> str:
    day = formats.date_format(meeting.local_start.date(), "SHORT_DATE_FORMAT")
    return f"{meeting.title} ({day})"


def theme_label(theme) -> str:
    if theme.parent_id is not None:
        return f"{theme.parent.display_name} › {theme.display_name}"
    return theme.display_name


def search_themes(queryset, q):
    found = queryset.filter(
        Q(name__icontains=q) | Q(slug__icontains=q) | Q(parent__name__icontains=q)
    )
    return best_first(found, Q(name__istartswith=q), "order", "name")


def owner_rows(user):
    """Users an action may be given to: active, with a role. Only editors may list them."""
    users = get_user_model().objects.filter(is_active=True)
    if not policy.can_edit(user):
        return users.none()
    return users.filter(Q(is_superuser=True) | Q(accord_profile__isnull=False)).order_by("username")


def search_users(queryset, q):
    found = queryset.filter(
        Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
    )
    return best_first(found, Q(username__istartswith=q), "username")


def user_label(user) -> str:
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def register_pickers() -> None:
    register(
        PickerKind(
            name="series",
            rows=lambda user: Series.objects.visible_to(user).order_by("title", "pk"),
            search=search_series,
        )
    )
    register(
        PickerKind(
            name="meetings",
            rows=lambda user: Meeting.objects.visible_to(user).order_by("-start", "-pk"),
            search=search_meetings,
            label=meeting_label,
        )
    )
    register(
        PickerKind(
            name="themes",
            rows=lambda user: Theme.objects.visible_to(user).order_by("order", "name"),
            search=search_themes,
            label=theme_label,
            related=("parent",),
            keys=("slug",),
        )
    )
    register(PickerKind(name="users", rows=owner_rows, search=search_users, label=user_label))
