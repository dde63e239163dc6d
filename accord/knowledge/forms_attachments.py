from django import forms
from django.utils.translation import gettext_lazy as _


class AttachmentForm(forms.Form):
    """A file to attach to a practice, a request or a framework document."""

    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        # Longer names are shortened by the service (accord/meetings/files.py).
        allow_empty_file=True,
    )
