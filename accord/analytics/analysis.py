"""The analyses as pure functions over plain rows and arrays: no database, no request.

The selectors (selectors.py) read what the user may see; these compute.
"""

from __future__ import annotations

from collections.abc import Iterable

HISTORY_STATUSES = ("full", "associate", "observer", "partner", "suspended")


def membership_history(
    spells: Iterable[tuple[int, str, int, int]], first: int, last: int
) -> list[dict]:
    """For each year of [first, last], the number of states in each status.

    `spells` are (country, status, first year, last year); a state counts in a year when one of
    its spells overlaps it, and once per status however many of its spells do."""
    seen: dict[tuple[int, str], set[int]] = {}
    for country, status, a, b in spells:
        for year in range(max(a, first), min(b, last) + 1):
            seen.setdefault((year, status), set()).add(country)
    return [
        {"year": year, **{s: len(seen.get((year, s), ())) for s in HISTORY_STATUSES}}
        for year in range(first, last + 1)
    ]


def members_in_year(
    spells: Iterable[tuple[int, str, int, int]], year: int, status: str = "full"
) -> set[int]:
    """The states with a spell of `status` that overlaps the year."""
    return {country for country, s, a, b in spells if s == status and a <= year <= b}


def joins_and_departures(before: set, after: set) -> tuple[set, set]:
    """(joined, left) between two memberships: in `after` only, in `before` only."""
    return after - before, before - after


def membership_matrix(
    pairs: Iterable[tuple[int, int]], rows: list[int], columns: list[int] | None = None
):
    """A 0/1 matrix of rows (organizations) × columns (states) from (row id, column id) pairs;
    the columns are the states met, sorted, unless given."""
    import numpy as np

    pairs = list(pairs)
    if columns is None:
        columns = sorted({column for _row, column in pairs})
    row_index = {pk: i for i, pk in enumerate(rows)}
    column_index = {pk: j for j, pk in enumerate(columns)}
    matrix = np.zeros((len(rows), len(columns)), dtype=np.int32)
    for row, column in pairs:
        if row in row_index and column in column_index:
            matrix[row_index[row], column_index[column]] = 1
    return matrix, columns


def overlap(matrix):
    """(shared, jaccard): states shared by each pair of rows, and that count over the states
    in either (1 on the diagonal of a row with members, 0 where both have none)."""
    import numpy as np

    shared = matrix @ matrix.T
    sizes = np.diag(shared)
    union = sizes[:, None] + sizes[None, :] - shared
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, shared / np.where(union > 0, union, 1), 0.0)
    return shared, jaccard


def bridges(members_a: set, members_b: set) -> set:
    """The states in both."""
    return members_a & members_b


def neighbourhood(members: set, borders: Iterable[tuple]) -> dict:
    """The states outside `members` that border one of them by land: state -> the members it
    borders. `borders` are (state, state) pairs, in either or both directions."""
    result: dict = {}
    for a, b in borders:
        for inside, outside in ((a, b), (b, a)):
            if inside in members and outside not in members:
                result.setdefault(outside, set()).add(inside)
    return result


# Above this many organizations, betweenness is estimated from this many sampled sources
# (networkx's k, seeded): exact betweenness costs O(nodes × edges).
BETWEENNESS_EXACT_MAX = 1000
BETWEENNESS_SAMPLES = 100


def engagement_graph(groups: Iterable[tuple[str, Iterable[int]]]):
    """Organizations as nodes; an edge between every two organizations that met, weighted by
    the number of times. `groups` are (kind, organizations) of one meeting or one share:
    the edge counts each kind apart ("meetings", "shares") and `weight` is their sum."""
    import itertools

    import networkx as nx

    graph = nx.Graph()
    for kind, members in groups:
        members = sorted(set(members))
        graph.add_nodes_from(members)
        for a, b in itertools.combinations(members, 2):
            data = graph.get_edge_data(a, b)
            if data is None:
                graph.add_edge(a, b, weight=0, meetings=0, shares=0)
                data = graph[a][b]
            data[kind] += 1
            data["weight"] += 1
    return graph


def network_metrics(graph) -> dict:
    """Node -> degree (partners met), strength (sum of edge weights), betweenness (shortest
    paths through it, with 1/weight as the distance) and community (Louvain, seeded; the
    largest community is 0)."""
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return {}
    for _a, _b, data in graph.edges(data=True):
        data["distance"] = 1 / data["weight"]
    n = graph.number_of_nodes()
    betweenness = nx.betweenness_centrality(
        graph,
        weight="distance",
        k=None if n <= BETWEENNESS_EXACT_MAX else BETWEENNESS_SAMPLES,
        seed=1,
    )
    communities = sorted(
        nx.community.louvain_communities(graph, weight="weight", seed=1),
        key=lambda c: (-len(c), min(c)),
    )
    community = {node: index for index, members in enumerate(communities) for node in members}
    return {
        node: {
            "degree": graph.degree(node),
            "strength": graph.degree(node, weight="weight"),
            "betweenness": betweenness[node],
            "community": community[node],
        }
        for node in graph.nodes
    }


ADVANTAGE_KINDS = ("mandate", "meeting", "practice", "action")


def advantage(evidence: Iterable[tuple]) -> dict:
    """(organization, theme) -> counts of each kind of evidence and their total (the score):
    one for a mandate that covers the theme, one per meeting, practice and action on it."""
    cells: dict = {}
    for kind, organization, theme, _record, _title in evidence:
        cell = cells.setdefault((organization, theme), dict.fromkeys(ADVANTAGE_KINDS, 0))
        cell[kind] += 1
    for cell in cells.values():
        cell["score"] = sum(cell[kind] for kind in ADVANTAGE_KINDS)
    return cells


def best_on(cells: dict, theme, exclude=()) -> list[tuple]:
    """(organization, cell) on one theme, strongest first: score, then meetings, practices."""
    rows = [
        (organization, cell)
        for (organization, t), cell in cells.items()
        if t == theme and organization not in exclude
    ]
    rows.sort(key=lambda r: (-r[1]["score"], -r[1]["meeting"], -r[1]["practice"], r[0]))
    return rows
