"""Lark trees to IR: one Transformer per grammar, the only code that touches Tree/Token.

A world compiles its own scene phrases (worlds/scene/compiler.py: SceneCompiler);
SketchCompiler turns a parsed sketch file into a `Sketch` of templates, and
checks what a grammar cannot: value ranges, duplicate names, unknown scene
names, variables that are undefined or refer to themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lark import Token, Transformer, v_args
from lark.exceptions import VisitError

from .. import limits
from .bounds import check_characters, check_tree_depth, check_variables, unquote
from .errors import Location, SketchError, suggestion_hint
from .ir import Grid, GridAxis, Morph, Option, SceneDecl, Sketch, Source, Template, Text, Variant, VarRef, Wildcard
from .parser import parse_sketch


def run_transformer(transformer: Transformer, tree):
    """transformer.transform(tree), raising what a callback raised: Lark wraps it; show the user our own error."""
    try:
        return transformer.transform(tree)
    except VisitError as error:
        raise error.orig_exc from None


# ---------------------------------------------------------------- sketches

@dataclass(frozen=True)
class _Statement:
    kind: str
    value: object
    token: Token  # where it was written, for errors


class SketchCompiler(Transformer):
    def __init__(self, source: Source):
        super().__init__()
        self.source = source

    def _error(self, message: str, offset: int, length: int = 1, hint: str | None = None) -> SketchError:
        return SketchError(message, Location(self.source, offset, length), hint)

    # -- templates
    def TEXT(self, token):
        return Text(str(token), token.start_pos)

    def VAR(self, token):
        return VarRef(self._name(token, token[1:]), token.start_pos)

    def WILDCARD(self, token):
        return Wildcard(self._name(token, token[2:-2]), token.start_pos)

    def _name(self, token: Token, name: str) -> str:
        if len(name) > limits.MAX_NAME_CHARS:
            raise self._error(f"a name is at most {limits.MAX_NAME_CHARS} characters", token.start_pos, len(token))
        return name

    @v_args(meta=True)
    def option(self, meta, children):
        weight = 1.0
        if children and isinstance(children[0], Token) and children[0].type == "WEIGHT":
            token = children.pop(0)
            weight = float(self._digits(token, token.rstrip(" \t:")))
            if not 0 < weight <= limits.MAX_WEIGHT:
                raise self._error(f"an option's weight must be more than zero and at most {limits.MAX_WEIGHT:g}",
                                  token.start_pos, len(token))
        offset = meta.start_pos if not meta.empty else 0
        return Option(weight, self._with_gaps(children), offset)

    @v_args(meta=True)
    def variant(self, meta, options):
        return Variant(tuple(options), meta.start_pos, self.source.text[meta.start_pos:meta.end_pos])

    @v_args(meta=True)
    def template(self, meta, pieces):
        return Template(self._with_gaps(pieces), meta.start_pos)

    def _with_gaps(self, pieces) -> tuple:
        """Put back the spaces the lexer skipped between pieces: `$vehicle {a | b}` keeps its space."""
        out = []
        for piece in pieces:
            if out:
                end = _end(out[-1])
                gap = self.source.text[end:piece.offset]
                if gap and not gap.strip():
                    out.append(Text(gap, end))
            out.append(piece)
        return tuple(out)

    # -- statements
    def _digits(self, token: Token, text: str | None = None) -> str:
        """A number's text, refused past limits.MAX_NUMBER_CHARS (Python's int() stops at 4,300 digits)."""
        text = str(token) if text is None else text
        if len(text) > limits.MAX_NUMBER_CHARS:
            raise self._error(f"a number has at most {limits.MAX_NUMBER_CHARS} characters, not {len(text)}",
                              token.start_pos, len(token))
        return text

    def _int(self, token: Token, what: str, low: int, high: int) -> int:
        value = int(self._digits(token))
        if not low <= value <= high:
            raise self._error(f"{what} must be between {low} and {high}, not {value}", token.start_pos, len(token))
        return value

    def _string(self, token: Token) -> str:
        value = unquote(str(token), token.start_pos, self._error)
        if not value.strip():
            raise self._error("a name cannot be empty", token.start_pos, len(token))
        return value

    def title(self, c):
        return _Statement("title", self._string(c[0]), c[0])

    def use(self, c):
        return _Statement("use", str(c[0]), c[0])

    def world(self, c):  # which worlds there are is the registry's to say (render.jobs.sketch_world), not the language's
        return _Statement("world", (str(c[0]), c[0].start_pos), c[0])

    def size(self, c):
        value = int(self._digits(c[0]))
        if value not in limits.SIZES:
            sizes = ", ".join(map(str, limits.SIZES))
            raise self._error(f"size must be one of {sizes}, not {value}", c[0].start_pos, len(c[0]))
        return _Statement("size", value, c[0])

    def seed(self, c):
        return _Statement("seed", self._int(c[0], "seed", 0, limits.MAX_SEED), c[0])

    def variations(self, c):
        return _Statement("variations", self._int(c[0], "variations", 1, limits.MAX_VARIATIONS), c[0])

    def let(self, c):
        return _Statement("let", (self._name(c[0], str(c[0])), c[1]), c[0])

    def scene(self, c):
        return _Statement("scene", SceneDecl(self._string(c[0]), c[1], c[0].line), c[0])

    def mode(self, c):
        if str(c[0]) not in limits.MODES:
            raise self._error(f'unknown mode "{c[0]}"; modes: {", ".join(limits.MODES)}', c[0].start_pos, len(c[0]),
                              suggestion_hint(str(c[0]), limits.MODES, cutoff=0.5))
        return _Statement("mode", str(c[0]), c[0])

    def axis_words(self, c):
        return Token("WORDS", " ".join(c), start_pos=c[0].start_pos)

    def grid_axis(self, c):
        values = []
        for token in c[1:]:
            kind = token.type
            values.append(int(self._digits(token)) if kind == "INT" else float(self._digits(token))
                          if kind == "NUMBER" else self._string(token) if kind == "STRING" else str(token))
        if len(values) > limits.MAX_GRID_SIDE:
            raise self._error(f"an axis has at most {limits.MAX_GRID_SIDE} values, not {len(values)}",
                              c[0].start_pos, len(c[0]))
        return GridAxis(str(c[0]), tuple(values), c[0].start_pos, self.source)

    def grid_axes(self, c):
        return tuple(c)

    def grid_option(self, c):
        return str(c[0]), self._int(c[1], c[0], 1, limits.MAX_GRID_SIDE)

    def grid(self, c):
        axes = c[1] if len(c) > 1 and isinstance(c[1], tuple) and c[1] and isinstance(c[1][0], GridAxis) else ()
        options = dict(c[2:] if axes else c[1:])
        grid = Grid(self._string(c[0]), options.get("rows"), options.get("cols"), c[0].line, axes)
        return _Statement("grid", grid, c[0])

    def morph_seed(self, c):
        return self._int(c[0], "seed", 0, limits.MAX_SEED)

    def morph(self, c):
        start, end = self._string(c[0]), None
        seeds, frames = [None, None], limits.DEFAULT_MORPH_FRAMES
        for child in c[1:]:
            if isinstance(child, Token) and child.type == "STRING":
                end = self._string(child)
            elif isinstance(child, Token):  # the INT frame count
                frames = self._int(child, "frames", 2, limits.MAX_FRAMES)
            else:  # a morph_seed, before or after "->"
                seeds[0 if end is None else 1] = child
        return _Statement("morph", Morph(start, end, frames, c[0].line, *seeds), c[0])

    def start(self, statements) -> Sketch:
        settings: dict[str, _Statement] = {}
        variables: dict[str, Template] = {}
        scenes: dict[str, SceneDecl] = {}
        grids, morphs = [], []
        for st in statements:
            if st.kind in ("title", "world", "use", "size", "seed", "variations", "mode"):
                if st.kind in settings:
                    raise self._error(f'"{st.kind}" is set twice (first on line {settings[st.kind].token.line})',
                                      st.token.start_pos, len(st.token))
                settings[st.kind] = st
            elif st.kind == "let":
                name, template = st.value
                if name in variables:
                    raise self._error(f"variable ${name} is defined twice", st.token.start_pos, len(st.token))
                variables[name] = template
            elif st.kind == "scene":
                if st.value.name in scenes:
                    raise self._error(f'two scenes are named "{st.value.name}"', st.token.start_pos, len(st.token))
                scenes[st.value.name] = st.value
            else:
                (grids if st.kind == "grid" else morphs).append(st)
        if not scenes:
            raise SketchError("the sketch has no scene", Location(self.source, len(self.source.text.rstrip())),
                              'add a line like: scene "first": a red car on the road')
        for st in grids + morphs:
            names = [st.value.scene] if st.kind == "grid" else [st.value.start, st.value.end]
            for name in names:
                if name not in scenes:
                    token = st.token
                    raise self._error(f'no scene is named "{name}"', token.start_pos, len(token),
                                      suggestion_hint(name, list(scenes), cutoff=0.5))
        check_variables(self._error, variables, scenes)
        value = {k: st.value for k, st in settings.items()}
        world, world_at = value.get("world", (None, None))
        return Sketch(title=value.get("title"), model=value.get("use"), world=world, world_at=world_at,
                      size=value.get("size", limits.DEFAULT_SIZE), seed=value.get("seed", 0),
                      variations=value.get("variations", limits.DEFAULT_VARIATIONS), variables=variables,
                      scenes=tuple(scenes.values()), grids=tuple(st.value for st in grids),
                      morphs=tuple(st.value for st in morphs), mode=value.get("mode", "random"), source=self.source)


def _end(piece) -> int:
    """Where a template piece ends in its source."""
    if isinstance(piece, Text):
        return piece.offset + len(piece.text)
    if isinstance(piece, VarRef):
        return piece.offset + len(piece.name) + 1
    if isinstance(piece, Wildcard):
        return piece.offset + len(piece.name) + 4
    return piece.offset + len(piece.source)


def compile_sketch_text(text: str, path: Path | str | None = None) -> Sketch:
    source = Source(text, Path(path) if path is not None else None)
    if len(text.encode("utf-8")) > limits.MAX_SKETCH_BYTES:
        raise SketchError(f"a sketch is at most {limits.MAX_SKETCH_BYTES // 1000} kB; this one is "
                          f"{len(text.encode('utf-8')) // 1000} kB")
    if not text.strip():
        raise SketchError("the sketch is empty", Location(source, 0),
                          'a sketch holds at least one line like: scene "first": a red car on the road')
    return _compile(source)


def _compile(source: Source, start: str = "start", text: str | None = None):
    check_characters(source)
    tree = parse_sketch(source.text if text is None else text, source, start=start)
    check_tree_depth(tree, source)
    return run_transformer(SketchCompiler(source), tree)


def compile_template_text(text: str, source: Source) -> Template:
    """One template on its own, as a line of a wildcard file."""
    return _compile(source, "template", text)


def compile_grid_text(text: str) -> Grid:
    """A grid written on its own, as after `grid` in a sketch: `"mix" by place x seed` (quotes optional).

    Its errors point into the option as written (`--grid:1:…`), not into the sketch.
    """
    text = text.strip()
    if not text.startswith('"'):
        by = re.search(r"(?:^|\s)by\b", text)
        name, rest = (text[:by.start()], text[by.end():]) if by else (text, "")
        words = name.split()
        options = ""
        while len(words) > 2 and words[-2] in ("rows", "cols"):
            options = f" {words[-2]} {words[-1]}{options}"
            words = words[:-2]
        text = '"' + " ".join(words).replace("\\", "\\\\").replace('"', '\\"') + '"' + (
            f" by{rest}" if by else options)
    source = Source(f"grid {text}", Path("--grid"))
    return _compile(source, "grid").value
