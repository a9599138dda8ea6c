"""Pictures and numbers the chapters quote, computed at build time on CPython.

Each module here has a registry beside it, MODULE.toml: `facts = "function"` names the function
whose dict the prose reads as {{ facts.MODULE.key }}, and each [figure.NAME] table names the
function that draws the figure a chapter embeds with `::figure NAME "caption"`. They import
py_runtime and read weights/, so a figure shows what the site's own models and data do.
"""
