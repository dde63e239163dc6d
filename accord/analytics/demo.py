"""`accord demo`'s membership history: the copy of the COW IGO v3.0 files Accord ships
(data/cow-igo-v3/, with their README and citation), imported as `accord import cow-igo` does."""

from __future__ import annotations

from pathlib import Path

from . import cow

COW_DIRECTORY = Path(__file__).parent / "data" / "cow-igo-v3"


def load_demo_cow(*, stdout, verbosity: int = 1) -> None:
    report = cow.import_cow(COW_DIRECTORY)
    if verbosity < 1:
        return
    if not report.changed:
        stdout.write(f"{cow.DATASET_NAME} is already imported.")
        return
    stdout.write(
        f"{cow.DATASET_NAME}: {report.spells_added} membership spells of {report.igos} IGOs "
        f"({report.organizations_created} organizations and {report.countries_created} "
        "historical states created)."
    )


def register_demo_loader() -> None:
    from accord.core import extensions

    # After the workspace (10): its organizations are matched by their COW codes.
    extensions.register_demo_loader("cow-igo", load=load_demo_cow, order=15)
