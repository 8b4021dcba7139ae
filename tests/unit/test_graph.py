"""Cycle detection and dependency order of crm_bsc_scorecard (tools/graph.py)."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import load_pure_module

graph = load_pure_module("crm_bsc_scorecard", "tools/graph.py")


def _is_cycle_of(cycle, edges):
    """True when ``cycle`` is [a, ..., a] following the edges of the graph."""
    if len(cycle) < 2 or cycle[0] != cycle[-1]:
        return False
    return all(b in edges.get(a, ()) for a, b in itertools.pairwise(cycle))


def _has_cycle(edges):
    """Reference answer: Kahn's algorithm leaves nodes behind on a cycle."""
    nodes = set(edges) | {n for targets in edges.values() for n in targets}
    indegree = dict.fromkeys(nodes, 0)
    for targets in edges.values():
        for target in set(targets):
            indegree[target] += 1
    ready = [n for n in nodes if not indegree[n]]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for target in set(edges.get(node, ())):
            indegree[target] -= 1
            if not indegree[target]:
                ready.append(target)
    return seen != len(nodes)


# ---------------------------------------------------------------------------
# find_cycle
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "edges",
    [
        {},
        {"a": []},
        {"a": ["b"]},  # b is only named as a target
        {"a": ["b"], "b": ["c"], "c": []},
        # a diamond visits d twice without a cycle
        {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []},
        # two roots sharing a finished subtree
        {"x": ["z"], "y": ["z"], "z": []},
        {1: [2, 3], 2: [3], 3: []},
    ],
)
def test_no_cycle(edges):
    assert graph.find_cycle(edges) is None


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": ["a"]}, ["a", "a"]),
        ({"a": ["b"], "b": ["a"]}, ["a", "b", "a"]),
        ({"a": ["b"], "b": ["c"], "c": ["a"]}, ["a", "b", "c", "a"]),
        # the cycle does not include the way into it
        ({"a": ["b"], "b": ["c"], "c": ["b"]}, ["b", "c", "b"]),
        ({1: [2], 2: [3], 3: [1]}, [1, 2, 3, 1]),
    ],
)
def test_cycle_is_returned_as_a_closed_path(edges, expected):
    assert graph.find_cycle(edges) == expected


@pytest.mark.parametrize(
    ("edges", "start", "expected"),
    [
        # the cycle c <-> d is not reachable from a
        ({"a": ["b"], "b": [], "c": ["d"], "d": ["c"]}, ["a"], None),
        ({"a": ["b"], "b": [], "c": ["d"], "d": ["c"]}, ["c"], ["c", "d", "c"]),
        ({"a": ["b"], "b": [], "c": ["d"], "d": ["c"]}, ["a", "d"], ["d", "c", "d"]),
        # a start node that the edges do not list
        ({"a": ["a"]}, ["zz"], None),
        ({"a": ["a"]}, [], None),
    ],
)
def test_cycle_search_from_start_nodes(edges, start, expected):
    assert graph.find_cycle(edges, start=start) == expected


def test_deep_chain_does_not_hit_the_recursion_limit():
    depth = 20000
    edges = {i: [i + 1] for i in range(depth)}
    assert graph.find_cycle(edges) is None
    edges[depth] = [0]
    cycle = graph.find_cycle(edges)
    assert len(cycle) == depth + 2
    assert _is_cycle_of(cycle, edges)


# ---------------------------------------------------------------------------
# dependency_order
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dependencies", "expected"),
    [
        ({}, []),
        ({"a": []}, ["a"]),
        ({"a": ["b"], "b": ["c"], "c": []}, ["c", "b", "a"]),
        # nodes named only as dependencies are included
        ({"a": ["b", "c"]}, ["b", "c", "a"]),
        ({"a": ["c", "b"]}, ["c", "b", "a"]),
        # ties keep the order in which nodes were first seen
        ({"x": [], "y": [], "z": []}, ["x", "y", "z"]),
        ({"z": [], "y": [], "x": []}, ["z", "y", "x"]),
        (
            {"margin": ["revenue", "cost"], "revenue": ["deals"], "cost": []},
            ["deals", "revenue", "cost", "margin"],
        ),
        # a shared dependency comes once, before both users
        ({"a": ["c"], "b": ["c"], "c": []}, ["c", "a", "b"]),
    ],
)
def test_dependency_order(dependencies, expected):
    assert graph.dependency_order(dependencies) == expected


@pytest.mark.parametrize(
    ("dependencies", "message"),
    [
        ({"a": ["a"]}, "a -> a"),
        ({"a": ["b"], "b": ["a"]}, "a -> b -> a"),
        ({"x": [], "a": ["b"], "b": ["c"], "c": ["a"]}, "a -> b -> c -> a"),
    ],
)
def test_dependency_order_refuses_cycles(dependencies, message):
    with pytest.raises(graph.CycleError) as info:
        graph.dependency_order(dependencies)
    assert str(info.value) == message
    assert info.value.cycle == message.split(" -> ")
    assert isinstance(info.value, ValueError)


def test_cycle_error_names_non_string_nodes():
    error = graph.CycleError([1, 2, 1])
    assert str(error) == "1 -> 2 -> 1"
    assert error.cycle == [1, 2, 1]


# ---------------------------------------------------------------------------
# Properties on random graphs
# ---------------------------------------------------------------------------

small_graphs = st.dictionaries(
    st.integers(min_value=0, max_value=9),
    st.lists(st.integers(min_value=0, max_value=9), max_size=4),
    max_size=10,
)


@given(small_graphs)
def test_find_cycle_agrees_with_a_reference(edges):
    cycle = graph.find_cycle(edges)
    assert (cycle is not None) == _has_cycle(edges)
    if cycle is not None:
        assert _is_cycle_of(cycle, edges)
        # a simple cycle: no node repeated but the closing one
        assert len(set(cycle[:-1])) == len(cycle) - 1


@given(small_graphs)
def test_dependency_order_puts_dependencies_first(dependencies):
    if _has_cycle(dependencies):
        with pytest.raises(graph.CycleError):
            graph.dependency_order(dependencies)
        return
    order = graph.dependency_order(dependencies)
    nodes = set(dependencies) | {n for deps in dependencies.values() for n in deps}
    assert sorted(order) == sorted(nodes)  # every node exactly once
    position = {node: index for index, node in enumerate(order)}
    for node, deps in dependencies.items():
        for dep in deps:
            assert position[dep] < position[node]


# --- split_cycles: one cycle never keeps the rest from being ordered -------


def test_split_cycles_orders_what_it_can():
    order, broken = graph.split_cycles(
        {"f": ["a", "b"], "a": ["b"], "b": ["a"], "c": ["d"], "d": [], "e": ["f"]}
    )
    assert order == ["d", "c"]
    assert set(broken) == {"a", "b", "f", "e"}
    assert broken["a"][0] == broken["a"][-1]
    assert set(broken["e"][:-1]) == {"a", "b"}


def test_split_cycles_without_cycle_is_dependency_order():
    deps = {"a": ["b", "c"], "b": ["c"], "c": []}
    assert graph.split_cycles(deps) == (graph.dependency_order(deps), {})


def test_split_cycles_self_loop_and_two_cycles():
    order, broken = graph.split_cycles({"a": ["a"], "b": ["c"], "c": ["b"], "d": []})
    assert order == ["d"]
    assert broken["a"] == ["a", "a"]
    assert set(broken["b"][:-1]) == set(broken["c"][:-1]) == {"b", "c"}


@given(
    st.dictionaries(
        st.integers(0, 12), st.lists(st.integers(0, 12), max_size=4), max_size=13
    )
)
def test_split_cycles_property(deps):
    order, broken = graph.split_cycles(deps)
    nodes = set(deps) | {d for ds in deps.values() for d in ds}
    assert set(order) | set(broken) == nodes
    assert not set(order) & set(broken)
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for dep in deps.get(node, ()):
            assert dep in position and position[dep] < position[node]
