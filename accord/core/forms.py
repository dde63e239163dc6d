from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from . import dates, policy

# The longest text a form takes (the API's limit too).
TEXT_MAX = 20_000
# No date is written in more characters than this.
DATE_MAX = 40
# The largest id PostgreSQL and SQLite store (bigint).
BIGINT_MAX = 2**63 - 1


def out_of_range(value) -> bool:
    text = str(value).strip()
    return text.lstrip("-").isdecimal() and abs(int(text)) > BIGINT_MAX


class BoundedIdsMixin:
    """An id beyond the database's integer range is "not one of the choices", not a 500."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item not in self.empty_values and out_of_range(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:30]},
                )
        return super().clean(value)


class BoundedModelChoiceField(BoundedIdsMixin, forms.ModelChoiceField):
    pass


class BoundedModelMultipleChoiceField(BoundedIdsMixin, forms.ModelMultipleChoiceField):
    pass


def bounded(field: forms.Field) -> forms.Field:
    """The same field, made to refuse ids beyond the database's range."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        field.__class__ = BoundedModelMultipleChoiceField
    elif isinstance(field, forms.ModelChoiceField):
        field.__class__ = BoundedModelChoiceField
    return field


def localized_date(field: forms.Field) -> forms.Field:
    """A model form's date field, made to show and take the language's format."""
    if type(field) is forms.DateField:
        field.__class__ = DateField
        if not isinstance(field.widget, DateInput):
            field.widget = DateInput(attrs=field.widget.attrs)
    return field


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version it was read at, to refuse lost updates."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        if "classification" in self.fields and user is not None:
            allowed = set(policy.visible_classifications(user))
            self.fields["classification"].choices = [
                c for c in self.fields["classification"].choices if c[0] in allowed
            ]
        for field in self.fields.values():
            bounded(field)
            localized_date(field)
            if isinstance(field, forms.CharField) and field.max_length is None:
                # Long texts (descriptions, notes) are bounded like every input.
                field.max_length = TEXT_MAX
                field.validators.append(MaxLengthValidator(TEXT_MAX))
                field.widget.attrs.setdefault("maxlength", str(TEXT_MAX))
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def full_clean(self):
        super().full_clean()
        # Mark the fields in error for sight (Bootstrap's red border) and for screen readers.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise forms.ValidationError(_("The form lost its version; reload the page."))
        return version

    def service_fields(self) -> dict:
        """Cleaned values of the form's model fields, many-to-many ones included."""
        return {
            name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data
        }


class DateInput(forms.DateInput):
    """A date typed in the interface language's format, which ISO 8601 may replace.

    Not `type="date"`: the browser shows that in its own locale's format, whatever the
    page's language. The value is written with the language's first DATE_INPUT_FORMATS.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", dates.placeholder())
        return context


class DateField(forms.DateField):
    """A date in the language's format or ISO 8601; a wrong one is told how to write it."""

    widget = DateInput

    def to_python(self, value):
        if isinstance(value, str) and len(value) > DATE_MAX:
            raise ValidationError(self.invalid_message(), code="invalid")
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code == "invalid":
                raise ValidationError(self.invalid_message(), code="invalid") from None
            raise

    @staticmethod
    def invalid_message() -> str:
        return _("Enter a valid date as %(format)s, for example %(example)s.") % {
            "format": dates.placeholder(),
            "example": dates.example(),
        }
