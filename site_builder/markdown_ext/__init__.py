"""Python-Markdown extensions for the chapters: math to MathML, embed directives, link checking."""
from .blocks import BlocksExtension
from .links import LinksExtension
from .math import MathExtension, latex_to_mathml

__all__ = ["BlocksExtension", "LinksExtension", "MathExtension", "latex_to_mathml"]
