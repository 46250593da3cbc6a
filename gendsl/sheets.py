"""Contact sheets: images in a grid. A floor below eval and render, which both draw them."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np


def contact_sheet(images: Sequence[np.ndarray], rows: int | None = None, cols: int | None = None,
                  gap: int = 2) -> np.ndarray:
    """Images in a grid, row by row, with a light gap between them."""
    n = len(images)
    if rows and not cols:
        cols = math.ceil(n / rows)
    cols = cols or math.ceil(math.sqrt(n))
    rows = rows or math.ceil(n / cols)
    h, w = images[0].shape[:2]
    sheet = np.full((rows * h + (rows + 1) * gap, cols * w + (cols + 1) * gap, 3), 235, np.uint8)
    for i, image in enumerate(images[:rows * cols]):
        r, c = divmod(i, cols)
        sheet[gap + r * (h + gap):gap + r * (h + gap) + h, gap + c * (w + gap):gap + c * (w + gap) + w] = image
    return sheet
