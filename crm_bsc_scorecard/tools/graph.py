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
