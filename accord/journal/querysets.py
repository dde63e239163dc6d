from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from accord.core import policy
from accord.core.querysets import ClassifiedQuerySet

from .attach import journal_models


class JournalEntryQuerySet(ClassifiedQuerySet):
    def visible_to(self, user):
        """Entries the user may see, on records the user may see: both, or nothing.

        A public entry on a hidden record stays hidden, and is never counted.
        """
        qs = super().visible_to(user)
        if policy.classified_filter(user) is None:
            return qs
        models = list(journal_models().values())
        types = ContentType.objects.get_for_models(*models) if models else {}
        on_visible = Q(pk__in=[])
        for model in models:
            on_visible |= Q(
                assigned_object_type=types[model],
                assigned_object_id__in=model.objects.visible_to(user).values("pk"),
            )
        return qs.filter(on_visible)

    def visible_on(self, user, obj):
        """The entries of one record that the user may see, when the record itself came through
        the policy: the entry's own classification is checked, the record's is not again."""
        return ClassifiedQuerySet.visible_to(self, user).on(obj)

    def on(self, obj):
        """The entries of one record."""
        return self.filter(
            assigned_object_type=ContentType.objects.get_for_model(obj),
            assigned_object_id=obj.pk,
        )
