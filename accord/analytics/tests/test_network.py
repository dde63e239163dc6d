"""The engagement network: metrics on graphs whose answer is known, visibility, downloads."""

import csv
import datetime
import io

import networkx as nx
import pytest

from accord.analytics import analysis
from accord.core.choices import Classification
from accord.meetings import services as meetings
from accord.registry import services as registry


def test_a_star_and_a_path_have_the_known_betweenness():
    star = analysis.engagement_graph([("meetings", {0, leaf}) for leaf in (1, 2, 3, 4)])
    metrics = analysis.network_metrics(star)
    # Every shortest path between two leaves runs through the centre: normalised, 1.
    assert metrics[0]["betweenness"] == pytest.approx(1.0)
    assert metrics[0]["degree"] == 4 and metrics[1]["betweenness"] == 0
    path = analysis.engagement_graph([("meetings", {1, 2}), ("meetings", {2, 3})])
    assert analysis.network_metrics(path)[2]["betweenness"] == pytest.approx(1.0)


def test_weights_count_meetings_and_shares_and_a_meeting_links_all_its_members():
    graph = analysis.engagement_graph(
        [("meetings", {1, 2, 3}), ("meetings", {1, 2}), ("shares", {1, 2})]
    )
    assert graph[1][2] == {"weight": 3, "meetings": 2, "shares": 1}
    assert graph[2][3]["weight"] == 1 and graph[1][3]["meetings"] == 1
    assert analysis.network_metrics(graph)[1]["strength"] == 4


def test_two_cliques_joined_by_one_link_are_two_communities():
    left = [("meetings", {a, b}) for a in range(4) for b in range(4) if a < b]
    right = [("meetings", {a, b}) for a in range(4, 8) for b in range(4, 8) if a < b]
    graph = analysis.engagement_graph([*left, *right, ("meetings", {3, 4})])
    metrics = analysis.network_metrics(graph)
    assert {metrics[n]["community"] for n in range(4)} != {
        metrics[n]["community"] for n in range(4, 8)
    }
    assert len({metrics[n]["community"] for n in range(8)}) == 2
    # The two ends of the bridge carry every path between the groups.
    assert metrics[3]["betweenness"] == max(m["betweenness"] for m in metrics.values())


def at(y, m, d):
    return datetime.datetime(y, m, d, 9, tzinfo=datetime.UTC)


@pytest.fixture
def met(world):
    """OSCE–UN twice (public), OSCE–SCO–UN once (restricted), and a cancelled OSCE–NATO."""
    nato = registry.organization_create(actor=None, acronym="NATO", name="NATO", kind="regional")

    def meeting(title, organizations, classification, day, status="held"):
        return meetings.meeting_create(
            actor=None,
            title=title,
            format="bilateral",
            start=at(*day),
            end=at(*day) + datetime.timedelta(hours=3),
            time_zone="Europe/Vienna",
            host_organization=world.osce,
            organizations=organizations,
            status=status,
            classification=classification,
        )

    meeting("Talks A", [world.un], Classification.PUBLIC, (2025, 3, 1))
    meeting("Talks B", [world.un], Classification.PUBLIC, (2025, 9, 1))
    meeting("SECRET-TRIPARTITE", [world.un, world.sco], Classification.RESTRICTED, (2025, 5, 1))
    meeting("Cancelled", [nato], Classification.PUBLIC, (2025, 6, 1), status="cancelled")
    return world


def network(client, **params):
    response = client.get(
        "/api/v1/analytics/network", {"from": "2025-01-01", "to": "2025-12-31", **params}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    return {n["acronym"]: n for n in body["nodes"]}, {
        (e["source"], e["target"]): e["weight"] for e in body["edges"]
    }


@pytest.mark.django_db
def test_a_restricted_meeting_never_adds_an_edge_for_a_viewer(met, client_for):
    nodes, edges = network(client_for(met.users.viewer))
    assert edges == {("OSCE", "UN"): 2}
    assert set(nodes) == {"OSCE", "UN"}
    nodes, edges = network(client_for(met.users.editor))
    assert edges == {("OSCE", "UN"): 3, ("OSCE", "SCO"): 1, ("SCO", "UN"): 1}
    assert nodes["OSCE"]["degree"] == 2 and nodes["OSCE"]["strength"] == 4
    # The cancelled meeting adds nothing; a period without meetings is empty.
    assert "NATO" not in nodes
    assert network(client_for(met.users.editor), **{"from": "2020-01-01", "to": "2020-12-31"}) == (
        {},
        {},
    )


@pytest.mark.django_db
def test_the_page_and_its_downloads(met, client_for):
    client = client_for(met.users.viewer)
    query = {"start": "2025-01-01", "end": "2025-12-31", "shares": "on"}
    html = client.get("/analytics/network/", query).content.decode()
    assert 'id="network-elements"' in html and "cytoscape.min.js" in html
    assert "SECRET-TRIPARTITE" not in html and ">SCO<" not in html
    graph = nx.read_graphml(io.BytesIO(client.get("/analytics/network.graphml", query).content))
    assert set(graph.nodes) == {"OSCE", "UN"}
    assert graph["OSCE"]["UN"]["weight"] == 2 and graph.nodes["OSCE"]["degree"] == 1
    links = list(
        csv.reader(io.StringIO(client.get("/analytics/network.csv", query).content.decode()))
    )
    assert links == [
        ["source", "target", "weight", "meetings", "shares"],
        ["OSCE", "UN", "2", "2", "0"],
    ]
    nodes = client.get("/analytics/network.nodes.csv", query).content.decode().splitlines()
    assert nodes[0] == "organization,name,degree,strength,betweenness,community"
    assert client.get("/analytics/network.png", query).content[:4] == b"\x89PNG"
    assert b"<svg" in client.get("/analytics/network.svg", query).content
    assert client.get("/analytics/network.gif", query).status_code == 404


@pytest.mark.django_db
def test_bad_periods_are_named(world, client_for):
    client = client_for(world.users.viewer)
    response = client.get("/api/v1/analytics/network", {"from": "2025-02-01", "to": "2025-01-01"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "to"]
    response = client.get("/api/v1/analytics/network", {"from": "1800-01-01", "to": "2025-01-01"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "from"]
    response = client.get("/api/v1/analytics/network", {"from": "x"})
    assert response.status_code == 422
    page = client.get("/analytics/network/", {"start": "2025-02-01", "end": "2025-01-01"})
    assert page.status_code == 200 and "“To” is before “from”." in page.content.decode()
