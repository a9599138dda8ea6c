"""Arithmetic on latent vectors, as in the latent-space article.

Latents are short lists of floats, so plain Python is all this needs; every function
takes sequences (lists, tuples, NumPy rows) and returns a new list.

    smile = subtract(centroid_smiling, centroid_neutral)   # a direction
    add(z, smile)            # feature injection
    subtract(z, smile)       # feature removal
    scale(smile, 0.5)        # intensity
    lerp(a, b, t), slerp(a, b, t), interpolate(a, b, steps)
"""

import math


def _vec(z):
    return [float(v) for v in z]


def add(a, b):
    """a + b: push a latent along a direction (feature injection)."""
    return [x + y for x, y in zip(_vec(a), _vec(b), strict=True)]


def subtract(a, b):
    """a - b: the direction from b to a, or a with feature b removed."""
    return [x - y for x, y in zip(_vec(a), _vec(b), strict=True)]


def scale(z, k):
    """k * z: the same direction, k times as strong."""
    return [k * x for x in _vec(z)]


def dot(a, b):
    return math.fsum(x * y for x, y in zip(_vec(a), _vec(b), strict=True))


def norm(z):
    return math.sqrt(dot(z, z))


def distance(a, b):
    """Euclidean distance ||a - b||."""
    return norm(subtract(a, b))


def lerp(a, b, t):
    """(1 - t) a + t b: the straight line from a (t = 0) to b (t = 1)."""
    return [(1.0 - t) * x + t * y for x, y in zip(_vec(a), _vec(b), strict=True)]


def slerp(a, b, t):
    """Spherical interpolation: along the arc between a and b, through the angle omega.

        slerp(a, b, t) = sin((1 - t) omega) / sin(omega) a + sin(t omega) / sin(omega) b

    Near-parallel vectors (sin omega ~ 0) fall back to lerp, where the two agree.
    """
    a, b = _vec(a), _vec(b)
    na, nb = norm(a), norm(b)
    if na == 0.0 or nb == 0.0:
        return lerp(a, b, t)
    cos_omega = max(-1.0, min(1.0, dot(a, b) / (na * nb)))
    omega = math.acos(cos_omega)
    sin_omega = math.sin(omega)
    if sin_omega < 1e-6:
        return lerp(a, b, t)
    wa, wb = math.sin((1.0 - t) * omega) / sin_omega, math.sin(t * omega) / sin_omega
    return [wa * x + wb * y for x, y in zip(a, b)]


def interpolate(a, b, steps, method="linear"):
    """`steps` latents from a to b inclusive, evenly spaced in t."""
    if steps < 2:
        raise ValueError("interpolate needs at least 2 steps (the two end points)")
    blend = {"linear": lerp, "spherical": slerp}.get(method)
    if blend is None:
        raise ValueError(f"method must be 'linear' or 'spherical', not {method!r}")
    return [blend(a, b, i / (steps - 1)) for i in range(steps)]


def nearest_centroid(z, centroids):
    """(label, distance) of the class centroid closest to z.

    `centroids` maps labels to latents, e.g. model.centroids or a manifest's "centroids".
    """
    if not centroids:
        raise ValueError("no centroids to compare with")
    label, centre = min(centroids.items(), key=lambda item: distance(z, item[1]))
    label = int(label) if isinstance(label, str) and label.isdigit() else label
    return label, distance(z, centre)
