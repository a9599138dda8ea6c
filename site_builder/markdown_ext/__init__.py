"""Python-Markdown extensions for the chapters: math to MathML, embed directives, link checking,
figures, citations."""
from .blocks import BlocksExtension
from .citations import CitationsExtension
from .figures import FiguresExtension
from .links import LinksExtension
from .sidenotes import SidenotesExtension
from .math import MathExtension

__all__ = ["BlocksExtension", "CitationsExtension", "FiguresExtension", "LinksExtension", "MathExtension",
           "SidenotesExtension"]
