"""A stored plan's road graph: arrays until used, then the very graph that was stored."""

import pickle

import networkx as nx

from simnet.network import build_network
from simnet.planning.stored_graph import StoredRoadGraph, road_arrays
from simnet.scenario import scenario_from_text
from tests.unit.planning.test_flows import CITY


def _city_graph() -> nx.Graph:
    return build_network(scenario_from_text(CITY)).graph


def test_a_stored_graph_becomes_the_graph_it_stores():
    """Same nodes, neighbours in the same order, same attributes, one dict for both directions of a road."""
    graph = _city_graph()
    arrays = road_arrays(graph)
    assert arrays is not None
    stored = pickle.loads(pickle.dumps(StoredRoadGraph(arrays)))
    assert isinstance(stored, nx.Graph)
    assert list(stored.nodes) == list(graph.nodes)
    assert type(stored) is nx.Graph  # the first use turned it into a plain graph
    assert {node: list(stored.adj[node].items()) for node in stored} == {
        node: list(graph.adj[node].items()) for node in graph
    }
    assert all(stored.adj[start][end] is stored.adj[end][start] for start, end in stored.edges)
    assert stored.graph == graph.graph == {}


def test_an_unused_stored_graph_pickles_as_its_arrays():
    """Pickled again before any use (a plan sent on), it stays arrays: smaller than networkx's dicts."""
    graph = _city_graph()
    arrays = road_arrays(graph)
    assert arrays is not None
    stored = pickle.loads(pickle.dumps(StoredRoadGraph(arrays)))
    again = pickle.dumps(stored)
    assert type(stored) is StoredRoadGraph
    assert len(again) < len(pickle.dumps(graph))


def test_a_graph_with_other_attributes_is_not_stored_as_arrays():
    """Only the city's plain road graph has arrays; any other graph is pickled as networkx pickles it."""
    graph = _city_graph()
    graph.nodes[0]["name"] = "hub"
    assert road_arrays(graph) is None
    other = nx.Graph([(0, 1)])
    assert road_arrays(other) is None
    assert road_arrays(nx.Graph([("a", "b", {"length_km": 1.0, "road_class": "county"})])) is None
