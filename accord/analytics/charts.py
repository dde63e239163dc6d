"""Charts drawn on the server with matplotlib: SVG for the pages and downloads, PNG for
downloads and documents. One drawing per chart, whatever the output.

No pyplot: each chart is its own Figure (thread-safe in the web workers). Text stays text in
the SVG (`svg.fonttype: none`), so that it is searchable and takes the page's font, and the
ids inside it are derived from a fixed salt, so that the same data give the same file.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Bootstrap's colours, as the pages use them: entered data first, imported second.
COLOURS = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#6c757d"]


@functools.cache
def _matplotlib():
    """matplotlib, set up once, when the first chart is drawn: not at start-up (importing it
    costs a third of a second in every process, commands included)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rcParams

    rcParams["svg.fonttype"] = "none"
    rcParams["svg.hashsalt"] = "accord"
    rcParams["font.family"] = ["DejaVu Sans", "sans-serif"]
    rcParams["font.size"] = 9
    return matplotlib


def _figure(**options) -> Figure:
    _matplotlib()
    from matplotlib.figure import Figure

    return Figure(dpi=100, layout="constrained", **options)


@dataclass(frozen=True)
class Series:
    label: str
    x: list
    y: list
    step: bool = True
    dashed: bool = False


def line_chart(
    series: list[Series],
    *,
    title: str = "",
    y_label: str = "",
    note: str = "",
    width: float = 8.0,
    height: float = 3.0,
) -> Figure:
    """Lines (steps for yearly counts) over a shared x axis of years."""
    figure = _figure(figsize=(width, height))
    axes = figure.add_subplot()
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        style = "--" if s.dashed else "-"
        if s.step:
            axes.step(s.x, s.y, where="mid", color=colour, linestyle=style, label=s.label)
        else:
            axes.plot(s.x, s.y, color=colour, linestyle=style, label=s.label)
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#dee2e6", linewidth=0.6)
    axes.spines[["top", "right"]].set_visible(False)
    if y_label:
        axes.set_ylabel(y_label)
    if title:
        axes.set_title(title, loc="left", fontsize=10)
    if len(series) > 1:
        axes.legend(frameon=False, loc="upper left")
    if note:
        axes.set_title(note, loc="right", fontsize=7, color="#6c757d")
    return figure


def to_svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": "Accord"})
    text = out.getvalue()
    # The XML declaration and doctype are for a file; inside a page the <svg> element is enough.
    return text[text.index("<svg") :]


def to_svg_file(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": "Accord"})
    return out.getvalue()


def to_png(figure: Figure, dpi: int = 200) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=dpi, metadata={"Software": "Accord"})
    return out.getvalue()


def heat_map(
    labels: list[str],
    shared,
    jaccard,
    *,
    title: str = "",
    note: str = "",
) -> Figure:
    """A square matrix: colour by Jaccard, each cell written "count" over "Jaccard"."""
    n = len(labels)
    size = max(3.5, 0.55 * n + 1.5)
    figure = _figure(figsize=(size + 1.2, size))
    axes = figure.add_subplot()
    image = axes.imshow(jaccard, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(n), labels, rotation=45, ha="right")
    axes.set_yticks(range(n), labels)
    for i in range(n):
        for j in range(n):
            dark = jaccard[i][j] > 0.55
            axes.text(
                j,
                i,
                f"{int(shared[i][j])}\n{jaccard[i][j]:.2f}",
                ha="center",
                va="center",
                fontsize=7 if n > 8 else 8,
                color="white" if dark else "#212529",
            )
    colourbar = figure.colorbar(image, ax=axes, shrink=0.8)
    colourbar.set_label("Jaccard")
    if title:
        axes.set_title(title, loc="left", fontsize=10)
    if note:
        figure.supxlabel(note, fontsize=7, color="#6c757d")
    return figure


def network_drawing(graph, labels: dict, communities: dict, *, title: str = "") -> Figure:
    """The engagement network drawn for a file: a spring layout (seeded), node size by
    strength, colour by community, edge width by weight."""
    import networkx as nx

    figure = _figure(figsize=(8, 6))
    axes = figure.add_subplot()
    axes.set_axis_off()
    if title:
        axes.set_title(title, loc="left", fontsize=10)
    if graph.number_of_nodes() == 0:
        return figure
    positions = nx.spring_layout(graph, weight="weight", seed=1)
    strengths = dict(graph.degree(weight="weight"))
    top = max(strengths.values()) or 1
    heaviest = max((d["weight"] for *_ends, d in graph.edges(data=True)), default=1)
    widths = [0.5 + 3 * d["weight"] / heaviest for *_ends, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, positions, ax=axes, width=widths, edge_color="#adb5bd")
    nx.draw_networkx_nodes(
        graph,
        positions,
        ax=axes,
        node_size=[80 + 600 * strengths[n] / top for n in graph.nodes],
        node_color=[COLOURS[communities.get(n, 0) % len(COLOURS)] for n in graph.nodes],
    )
    nx.draw_networkx_labels(graph, positions, labels=labels, ax=axes, font_size=8)
    return figure


def matrix_chart(row_labels, column_labels, values, *, title: str = "", note: str = "") -> Figure:
    """A rows × columns matrix of counts as a heat map, each cell written with its count."""
    import numpy as np

    data = np.array(values, dtype=float) if values else np.zeros((0, 0))
    rows, columns = data.shape if data.size else (len(row_labels), len(column_labels))
    figure = _figure(figsize=(max(6, 0.42 * columns + 2.5), max(3, 0.32 * rows + 2.2)))
    axes = figure.add_subplot()
    top = data.max() if data.size else 1
    axes.imshow(
        data if data.size else np.zeros((1, 1)), cmap="Blues", vmin=0, vmax=top or 1, aspect="auto"
    )
    axes.set_xticks(range(len(column_labels)), column_labels, rotation=60, ha="right", fontsize=7)
    axes.set_yticks(range(len(row_labels)), row_labels, fontsize=8)
    for i in range(rows):
        for j in range(columns):
            if data[i, j]:
                axes.text(
                    j,
                    i,
                    f"{int(data[i, j])}",
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="white" if data[i, j] > 0.55 * top else "#212529",
                )
    if title:
        axes.set_title(title, loc="left", fontsize=10)
    if note:
        figure.supxlabel(note, fontsize=7, color="#6c757d")
    return figure
