"""Training data from outside the procedural world: the user's own image folders."""
