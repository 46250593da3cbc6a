"""The scene world: objects, colours, places and times, and everything that gives them meaning.

- its language: the words (vocab.py), the grammar (grammar.lark, parser.py), the compiler to a canonical
  `Scene` (compiler.py, ir.py), unknown words (unknown.py), the conditioning vector (encode.py);
- its procedural renderer, the ground truth (render.py, layout.py, places.py, things.py, vehicles.py …),
  its layout maps for the learned models (layout_maps.py), its captions (captions.py), the scene sampler
  with held-out compositions (sample.py) and its datasets (dataset.py);
- the World instance the registry builds (world.py: SceneWorld).

Nothing is imported here, so reading the words never loads the renderer.
"""
