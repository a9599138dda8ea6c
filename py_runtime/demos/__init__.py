"""The math behind each demo on the site, one module per demo.

Every function here takes and returns plain JSON-able data (numbers, lists, dicts, str,
bytes for images), so the same call works from the browser's worker and from the build's
pre-renderer on CPython.
"""
