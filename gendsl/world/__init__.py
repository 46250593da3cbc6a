"""The procedural world: draws any Scene exactly; the ground truth models learn from."""
from .layout import Placement, layout
from .render import SIZES, render_scene

__all__ = ["render_scene", "layout", "Placement", "SIZES"]

# scene sampling and datasets (appended by the dataset helper); captions: gendsl.world.captions.captions
from .dataset import build_dataset, load_split  # noqa: E402
from .sample import HELD_OUT, is_held_out, sample_scene  # noqa: E402

__all__ += ["sample_scene", "is_held_out", "HELD_OUT", "build_dataset", "load_split"]
