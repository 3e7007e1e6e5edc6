"""A road graph as a stored plan keeps it: arrays on disk and in memory, networkx's dicts only once it is used.

A plan read back from the plan store is simulated; its road graph is read only to plan again (travel
matrices). As networkx's dict per site and per road, the baseline's graph is 1.4 million Python objects
(110 MB, a fifth of a second to unpickle and as long to free); as arrays it is a few megabytes read at once.
The graph made on first use is the one stored: the same nodes, neighbours in the same order, the same
attributes, one attribute dict shared by both directions of a road, as networkx makes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

ROAD_ATTRIBUTES = frozenset({"length_km", "road_class"})
"""The attributes every road of a city's graph has (``network/city.py``): a float and a str."""


@dataclass(frozen=True, eq=False)
class RoadArrays:
    """A road graph's adjacency in arrays: node ``i``'s neighbours are ``neighbours[offsets[i]:offsets[i + 1]]``."""

    nodes: NDArray[np.signedinteger[Any]]
    offsets: NDArray[np.signedinteger[Any]]
    neighbours: NDArray[np.signedinteger[Any]]
    road_of_neighbour: NDArray[np.signedinteger[Any]]
    """Per neighbour entry: the index of its road in ``length_km`` and ``road_class``."""
    length_km: NDArray[np.float64]
    road_class: NDArray[np.signedinteger[Any]]
    """Per road: its index in ``class_names``."""
    class_names: tuple[str, ...]


def road_arrays(graph: nx.Graph) -> RoadArrays | None:
    """``graph`` as arrays, or None when it is not a plain road graph (other attributes, non-integer nodes)."""
    if type(graph) is not nx.Graph or graph.graph or any(graph.nodes[node] for node in graph):
        return None
    if not all(type(node) is int for node in graph):
        return None
    road_index: dict[int, int] = {}
    lengths: list[float] = []
    classes: list[str] = []
    neighbours: list[int] = []
    roads: list[int] = []
    offsets = [0]
    for _, adjacent in graph.adjacency():
        for neighbour, attributes in adjacent.items():
            if attributes.keys() != ROAD_ATTRIBUTES or type(attributes["length_km"]) is not float:
                return None
            if id(attributes) not in road_index:
                road_index[id(attributes)] = len(lengths)
                lengths.append(attributes["length_km"])
                classes.append(attributes["road_class"])
            neighbours.append(neighbour)
            roads.append(road_index[id(attributes)])
        offsets.append(len(neighbours))
    names = tuple(dict.fromkeys(classes))
    code = {name: index for index, name in enumerate(names)}
    return RoadArrays(
        nodes=_smallest(list(graph)),
        offsets=_smallest(offsets),
        neighbours=_smallest(neighbours),
        road_of_neighbour=_smallest(roads),
        length_km=np.array(lengths, dtype=np.float64),
        road_class=_smallest([code[name] for name in classes]),
        class_names=names,
    )


def _smallest(values: list[int]) -> NDArray[np.signedinteger[Any]]:
    """``values`` in the smallest integer type that holds them (a stored plan's size is read at every run)."""
    return np.array(values, dtype=np.min_scalar_type(-max(values, default=0) - 1))


class StoredRoadGraph(nx.Graph):  # type: ignore[misc]  # networkx has no type hints
    """A road graph kept as ``RoadArrays`` until first used; then it turns into the plain ``networkx.Graph``."""

    def __init__(self, arrays: RoadArrays) -> None:  # networkx's dicts are made on first use, not here
        object.__setattr__(self, "_arrays", arrays)

    def __reduce__(self) -> tuple[type[StoredRoadGraph], tuple[RoadArrays]]:
        """Pickled as its arrays, so it stays compact until used."""
        return StoredRoadGraph, (object.__getattribute__(self, "_arrays"),)

    def __getattribute__(self, name: str) -> Any:
        """Any use but pickling first makes networkx's dicts and turns this object into a plain graph."""
        if name not in {"__reduce__", "__reduce_ex__", "__class__"}:
            object.__getattribute__(self, "_materialise")()
        return object.__getattribute__(self, name)

    def _materialise(self) -> None:
        arrays: RoadArrays = object.__getattribute__(self, "_arrays")
        names = arrays.class_names
        roads = [
            {"length_km": km, "road_class": names[code]}
            for km, code in zip(arrays.length_km.tolist(), arrays.road_class.tolist(), strict=True)
        ]
        neighbours = arrays.neighbours.tolist()
        road_of = arrays.road_of_neighbour.tolist()
        offsets = arrays.offsets.tolist()
        nodes = arrays.nodes.tolist()
        graph = nx.Graph()
        graph._node = {node: {} for node in nodes}
        graph._adj = {
            node: {neighbours[k]: roads[road_of[k]] for k in range(offsets[i], offsets[i + 1])}
            for i, node in enumerate(nodes)
        }
        state = object.__getattribute__(self, "__dict__")
        state.clear()
        state.update(graph.__dict__)
        object.__setattr__(self, "__class__", nx.Graph)
