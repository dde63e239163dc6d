"""Small COW IGO files in the published layout, written by the tests."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

# (ccode, column name, first year, last year in the state system)
STATES = [
    (2, "usa", 1816, 2014),
    (220, "france", 1816, 2014),
    (255, "germany", 1990, 2014),
    (260, "wgermany", 1955, 1990),
    (265, "egermany", 1954, 1990),
    (365, "russia", 1922, 2014),
]
IGO_TAIL = ["sdate", "deaddate", "dead", "integrated", "replaced", "longorgname", "ionum"]


def igo_rows(igos: dict) -> list[list[str]]:
    """igos: {ioname: (name, sdate, {year: {state column: code}})}; a state not given is 0
    when it is in the system that year, -1 when it is not."""
    states = [name for _c, name, _a, _b in STATES]
    rows = [["ioname", "orgname", "year", *states, *IGO_TAIL]]
    spans = {name: (a, b) for _c, name, a, b in STATES}
    for number, (ioname, (name, sdate, years)) in enumerate(igos.items(), start=1):
        for year in sorted(years):
            codes = []
            for state in states:
                a, b = spans[state]
                default = "0" if a <= year <= b else "-1"
                codes.append(str(years[year].get(state, default)))
            rows.append(
                [ioname, name, str(year), *codes, str(sdate), "", "0", "0", "0", name, str(number)]
            )
    return rows


def state_rows(igos: dict) -> list[list[str]]:
    names = [ioname.lower() for ioname in igos]
    rows = [["ccode", "year", "state", *names]]
    for ccode, state, a, b in STATES:
        for year in range(max(a, 1945), b + 1):
            codes = []
            for _name, _sdate, years in igos.values():
                codes.append(str(years.get(year, {}).get(state, 0) if year in years else -1))
            rows.append([str(ccode), str(year), state, *codes])
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def write(directory: Path, igos: dict, *, gz: bool = True, igo_bytes=None, state_bytes=None):
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "igo_year_formatv3.csv": igo_bytes if igo_bytes is not None else to_csv(igo_rows(igos)),
        "state_year_formatv3.csv": state_bytes
        if state_bytes is not None
        else to_csv(state_rows(igos)),
    }
    for name, data in files.items():
        if gz:
            (directory / (name + ".gz")).write_bytes(gzip.compress(data, mtime=0))
        else:
            (directory / name).write_bytes(data)
    return directory


def nato_like() -> dict:
    """Two IGOs over 1988–1993: the Soviet Union's seat passes to Russia in 1992, the two
    German states leave the NATO-like one when Germany joins in 1990, Russia observes."""
    first = {}
    for year in range(1988, 1994):
        codes = {"usa": 1, "france": 1}
        if year <= 1990:
            codes["wgermany"] = 1
        if year >= 1990:
            codes["germany"] = 1
        if year >= 1992:
            codes["russia"] = 3
        first[year] = codes
    second = {}
    for year in range(1988, 1994):
        codes = {"russia": 1, "france": 2}
        if year <= 1990:
            codes["egermany"] = 1
        second[year] = codes
    return {
        "NATO": ("North Atlantic Treaty Organization", 1949, first),
        "TESTO": ("Test Organization of States", 1980, second),
    }
