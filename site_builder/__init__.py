"""Deepfakes Explained site builder: Markdown chapters in, a self-contained static site out.

The pipeline, one stage a module, data flowing one way:

    config.load_site   -> Site (settings from content/site.toml)
    content.load       -> Chapters (front matter + Markdown body)
    registry.load      -> the demos and videos a chapter may embed
    render             -> pages (HTML strings) and generated files, in memory
    assets             -> fingerprinted CSS/JS/images, the Pyodide core, the py_runtime wheel
    output.write_atomic-> _site/ swapped in only when everything succeeded
    check              -> links, anchors, assets and page weight of a built folder
"""
