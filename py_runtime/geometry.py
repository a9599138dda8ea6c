"""Convex hulls in the plane: a face mask's outline (align) and whether a straight line can cut
two sets of points apart (the kernel-trick demo). Points are (x, y) pairs, y up."""
from __future__ import annotations


def cross(o, a, b) -> float:
    """The z component of (a − o) × (b − o): > 0 when o → a → b turns counter-clockwise."""
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points) -> list:
    """Andrew's monotone chain: the hull's corners, counter-clockwise, no repeated end point."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts
    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def inside_hull(hull, p) -> bool:
    """Whether p lies strictly inside a counter-clockwise convex polygon of three or more corners."""
    return len(hull) >= 3 and all(cross(hull[i], hull[(i + 1) % len(hull)], p) > 0 for i in range(len(hull)))


def _axes(hull):
    """The directions to project on: each edge's normal (for a segment or a point, its direction too)."""
    edges = [(hull[i], hull[(i + 1) % len(hull)]) for i in range(len(hull))] if len(hull) > 1 else []
    axes = [(a[1] - b[1], b[0] - a[0]) for a, b in edges]
    return axes + ([(b[0] - a[0], b[1] - a[1]) for a, b in edges] if len(hull) <= 2 else []) + [(1.0, 0.0), (0.0, 1.0)]


def hulls_meet(first, second) -> bool:
    """Whether the convex hulls of two finite point sets meet. Two finite sets are cut apart by a straight
    line exactly when their hulls do not meet, and two convex polygons that do not meet are told apart
    by their shadows on one of their edges' normals (the separating axis theorem)."""
    hulls = [convex_hull(list(first)), convex_hull(list(second))]
    if not hulls[0] or not hulls[1]:
        return False
    for ax, ay in _axes(hulls[0]) + _axes(hulls[1]):
        shadows = [[x * ax + y * ay for x, y in hull] for hull in hulls]
        if max(shadows[0]) < min(shadows[1]) or max(shadows[1]) < min(shadows[0]):
            return False
    return True
