"""django-simple-history, with many-to-many fields kept in the same entry as the row."""

from simple_history.models import HistoricalRecords


class History(HistoricalRecords):
    """Whole-row history whose entries also hold the record's many-to-many links.

    Services save the row and its links first and then write one entry, so one change is one
    entry. Saves outside the services (the admin) still get entries from the signals.
    """

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        cls._history_records = self


def write_entry(instance, history_type: str) -> None:
    """Record the instance as it is now, links included ("+" created, "~" changed)."""
    type(instance)._history_records.create_historical_record(instance, history_type)


def m2m_field_names(model) -> list[str]:
    records = getattr(model, "_history_records", None)
    if records is None:
        return []
    return sorted(field if isinstance(field, str) else field.name for field in records.m2m_fields)
