# Copyright 2026 CRM BSC Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Directed-graph helpers: cycle detection and dependency order. Pure Python."""


class CycleError(ValueError):
    """A cycle in a graph; ``cycle`` lists its nodes, the first one repeated
    at the end (a -> b -> a)."""

    def __init__(self, cycle):
        super().__init__(" -> ".join(str(node) for node in cycle))
        self.cycle = cycle


def find_cycle(edges, start=None):
    """Return one cycle of the graph as a list [a, b, ..., a], or None.

    ``edges`` maps each node to the nodes it points to. With ``start`` only the
    cycles reachable from those nodes are searched. Iterative, so deep graphs
    do not hit the recursion limit.
    """
    white, grey, black = 0, 1, 2
    colour = {}
    roots = list(edges) if start is None else list(start)
    for root in roots:
        if colour.get(root, white) != white:
            continue
        path = [root]
        colour[root] = grey
        stack = [iter(edges.get(root, ()))]
        while stack:
            for child in stack[-1]:
                state = colour.get(child, white)
                if state == grey:
                    return path[path.index(child) :] + [child]
                if state == white:
                    colour[child] = grey
                    path.append(child)
                    stack.append(iter(edges.get(child, ())))
                    break
            else:
                colour[path.pop()] = black
                stack.pop()
    return None


def dependency_order(dependencies):
    """Order nodes so that each comes after the nodes it depends on.

    ``dependencies`` maps a node to the nodes it needs. Nodes named only as
    dependencies are included. Raises CycleError on a cycle. The order is
    deterministic: ties keep the order in which nodes were first seen.
    """
    cycle = find_cycle(dependencies)
    if cycle:
        raise CycleError(cycle)
    order, done = [], set()
    for root in list(dependencies):
        stack = [(root, iter(dependencies.get(root, ())))]
        if root in done:
            continue
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in done:
                    stack.append((child, iter(dependencies.get(child, ()))))
                    break
            else:
                stack.pop()
                if node not in done:
                    done.add(node)
                    order.append(node)
    return order


def split_cycles(dependencies):
    """Split nodes into those that can be ordered and those that cannot.

    Returns ``(order, broken)``: ``order`` as :func:`dependency_order` gives
    it for the nodes that neither lie on a cycle nor depend, directly or
    not, on one; ``broken`` maps every other node to one cycle it lies on or
    depends on (a list [a, b, ..., a]). One cycle thus never keeps the rest
    of the graph from being ordered.
    """
    nodes = list(dependencies)
    for needed in list(dependencies.values()):
        for node in needed:
            if node not in dependencies:
                nodes.append(node)
    graph = {node: list(dependencies.get(node, ())) for node in dict.fromkeys(nodes)}
    broken = {}
    while True:
        remaining = {node: deps for node, deps in graph.items() if node not in broken}
        cycle = find_cycle(
            {
                node: [d for d in deps if d not in broken]
                for node, deps in remaining.items()
            }
        )
        if not cycle:
            break
        for node in cycle[:-1]:
            broken.setdefault(node, cycle)
    # whatever depends on a broken node is broken by the same cycle
    changed = True
    while changed:
        changed = False
        for node, deps in graph.items():
            if node in broken:
                continue
            for dep in deps:
                if dep in broken:
                    broken[node] = broken[dep]
                    changed = True
                    break
    order = dependency_order(
        {
            node: [d for d in deps if d not in broken]
            for node, deps in graph.items()
            if node not in broken
        }
    )
    return order, broken
