"""The procedural world: draws any Scene exactly; the ground truth models learn from."""
from .layout import Placement, layout
from .render import SIZES, render_scene

__all__ = ["render_scene", "layout", "Placement", "SIZES"]
