"""The math behind each demo on the site, one module per demo, named as the demo is
(`bss-unmix` in site_builder/demos/ is bss_unmix.py here); what demos share is in _lib.

Every function here takes and returns plain JSON-able data (numbers, lists, dicts, str,
bytes for images), so the same call works from the browser's worker and from the build's
pre-renderer on CPython.
"""
