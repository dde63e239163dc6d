from django import forms
from django.utils import timezone

from accord.core.forms import DateInput, VersionedModelForm

from .models import JournalEntry


class JournalEntryForm(VersionedModelForm):
    class Meta:
        model = JournalEntry
        fields = ["date", "kind", "text", "classification", "shared_with"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
        shared = self.fields["shared_with"]
        # Partner organizations only: the home organization's staff see internal entries anyway.
        shared.queryset = shared.queryset.model.objects.exclude(is_home=True)
        shared.widget.attrs["size"] = 4
