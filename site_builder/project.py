"""Where a project's files live: content, templates, assets, demos, scenes, weights, caches."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).parent


@dataclass(frozen=True)
class Project:
    """Where everything lives. `content` can point elsewhere (tests build throwaway sites)."""
    root: Path
    content: Path
    cache: Path                     # rendered chapters, pre-rendered demos, compiled templates
    figures: Path | None = None     # build-time figures and facts (default: root/figures)

    @classmethod
    def at(cls, root: Path, content: Path | None = None, cache: Path | None = None,
           figures: Path | None = None) -> "Project":
        root = root.resolve()
        return cls(root, (content or root / "content").resolve(), (cache or root / ".build-cache").resolve(),
                   figures.resolve() if figures else None)

    site_toml = property(lambda self: self.content / "site.toml")
    bibliography = property(lambda self: self.content / "references.bib")
    chapters_dir = property(lambda self: self.content / "chapters")
    pages_dir = property(lambda self: self.content / "pages")
    templates = property(lambda self: PACKAGE / "templates")
    static = property(lambda self: PACKAGE / "assets")
    demos_dir = property(lambda self: PACKAGE / "demos")
    scenes_toml = property(lambda self: self.root / "animations" / "scenes.toml")
    figures_dir = property(lambda self: self.figures or self.root / "figures")
    weights = property(lambda self: self.root / "weights")
    py_runtime = property(lambda self: self.root / "py_runtime")
    netlify_toml = property(lambda self: self.root / "netlify.toml")

    def watched(self) -> list[Path]:
        """Folders and files whose change means a rebuild (for `serve`)."""
        return [self.content, PACKAGE / "templates", PACKAGE / "assets", PACKAGE / "demos",
                self.py_runtime, self.figures_dir, self.weights, self.root / "animations", self.netlify_toml]
