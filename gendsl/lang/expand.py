"""Expanding templates into concrete scenes, one seed per image.

A template's variants {a | 2:b}, variables $name and wildcards __name__ are
resolved from the image's seed, on the PICK stream (seeds.py), never on the
noise stream, so a changed variant cannot change any image's noise. Each pick
has its own generator keyed by what is picked (the variant as written, the
variable's name, the wildcard's name) and by its occurrence, so adding or
moving one variant never changes what another picks. A variable is bound once
per image: `$vehicle` twice in one scene is the same vehicle.

Every character of the expanded text remembers where it was written (the
sketch or a wildcard file), so an error in the expanded scene points at the
source, not at text the user never saw.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .. import limits
from .compiler import compile_template_text
from .bounds import check_characters
from .errors import GendslError, Location, SketchError
from .textfile import read_text
from .ir import Sketch, Source, Template, Text, Variant, VarRef, Wildcard
from .seeds import pick_rng

_Segment = tuple[str, Source, int]  # text, where it was written, offset there


@dataclass(frozen=True)
class Expansion:
    """Concrete scene text and the origin of each of its characters."""

    text: str
    origins: tuple[tuple[Source, int], ...]
    language: object = None  # what compiles the text: anything with compile(text, locate), as a world has

    @staticmethod
    def join(segments: list[_Segment], language: object = None) -> "Expansion":
        text = "".join(s[0] for s in segments)
        origins = tuple((source, offset + i) for chunk, source, offset in segments for i in range(len(chunk)))
        return Expansion(text, origins, language)

    def locate(self, offset: int, length: int = 1) -> Location:
        if not self.origins:
            return Location(Source(self.text), 0, 1)
        if offset >= len(self.origins):
            source, at = self.origins[-1]
            return Location(source, at + 1, 1)
        source, at = self.origins[offset]
        return Location(source, at, length)

    def compile(self):
        """The scene this text means, in the expander's language (its world's scene)."""
        if self.language is None:
            raise GendslError("this expansion has no language to compile it (Expander(..., language=WORLD))")
        return self.language.compile(self.text, self.locate)


@dataclass
class _Scope:
    """Where pieces were written, and a counter naming repeated picks in it."""

    name: str
    source: Source
    base: int = 0  # offset of the template's text within its source
    depth: int = 0
    seen: dict[str, int] = field(default_factory=dict)

    def key(self, what: str) -> tuple[str, str, str]:
        n = self.seen.get(what, 0)
        self.seen[what] = n + 1
        return self.name, what, str(n)


@dataclass(frozen=True)
class _WildcardLine:
    weight: float
    template: Template
    source: Source
    base: int


class Expander:
    """Expands the templates of one sketch (its variables and wildcard folder)."""

    def __init__(self, variables: dict[str, Template], source: Source, wildcard_dir: Path | None = None,
                 language: object = None):
        self.variables = variables
        self.source = source
        self.language = language  # the sketch's world (anything with compile(text, locate)); None: text only
        if wildcard_dir is None:
            wildcard_dir = (source.path.parent if source.path else Path.cwd()) / "wildcards"
        self.wildcard_dir = wildcard_dir
        self._wildcards: dict[str, list[_WildcardLine]] = {}
        self._steps = 0  # pieces walked for the expansion under way (limits.MAX_EXPANSION_STEPS)

    @classmethod
    def for_sketch(cls, sketch: Sketch, language: object = None) -> "Expander":
        """The expander of a sketch whose scenes `language` compiles (render.sketch_world finds it)."""
        return cls(sketch.variables, sketch.source, language=language)

    # -- the ways of choosing: one seeded pick, options in turn (cyclic), or every combination
    def pick(self, template: Template, seed: int, fixed: dict["Choice", int] | None = None) -> Expansion:
        """The expansion of one image's seed; `fixed` pins some choices to one option (grid axes)."""
        fixed = fixed or {}
        pinned = {c.key: index for c, index in fixed.items() if c.key is not None}

        def choose(weights, key):
            if key in pinned:
                return [pinned[key]]
            u = pick_rng(seed, *key).random() * sum(weights)
            for index, cumulative in enumerate(itertools.accumulate(weights)):
                if u < cumulative:
                    return [index]
            return [len(weights) - 1]

        bound = {c.name: self._variable_options(c.name)[index][1] for c, index in fixed.items() if c.key is None}
        self._steps = 0
        segments, _ = next(self._pieces(template.pieces, _Scope("scene", self.source, 0), bound, choose))
        return Expansion.join(segments, self.language)

    def cycle(self, template: Template, index: int) -> Expansion:
        """The index-th image in cyclic mode: every variant takes its options in turn, weights aside."""
        self._steps = 0
        segments, _ = next(self._pieces(template.pieces, _Scope("scene", self.source, 0), {},
                                        lambda weights, key: [index % len(weights)]))
        return Expansion.join(segments, self.language)

    def choices(self, template: Template) -> list["Choice"]:
        """What a grid axis can range over: the scene's own variants, and the variables it uses."""
        found: list[Choice] = []
        seen: dict[str, int] = {}
        for piece in template.pieces:
            if isinstance(piece, Variant):
                n = seen.get(piece.source, 0)
                seen[piece.source] = n + 1
                labels = tuple(_label(option.pieces) for option in piece.options)
                found.append(Choice(piece.source, labels, ("scene", piece.source, str(n)), piece.offset))
            elif isinstance(piece, VarRef) and piece.name in self.variables:
                if all(c.name != piece.name for c in found):
                    labels = tuple(label for label, _ in self._variable_options(piece.name))
                    found.append(Choice(piece.name, labels, None, piece.offset))
        return found

    def _variable_options(self, name: str) -> list[tuple[str, list[_Segment]]]:
        scope = _Scope(f"let:{name}", self.source, 0, 1)
        self._steps = 0
        options = self._pieces(self.variables[name].pieces, scope, {}, _Everything())
        return [("".join(s[0] for s in segments).strip(), segments)
                for segments, _ in itertools.islice(options, limits.MAX_GRID_SIDE + 1)]

    def every(self, template: Template, limit: int = limits.MAX_EXPANSIONS_CHECKED) -> Iterator[Expansion]:
        """Every combination of choices, at most `limit` of them (for check and combinatorial mode)."""
        everything = _Everything()
        self._steps = 0
        combos = self._pieces(template.pieces, _Scope("scene", self.source, 0), {}, everything)
        for segments, _ in itertools.islice(combos, limit):
            self._steps = 0  # the budget is per combination
            yield Expansion.join(segments, self.language)

    # -- the walk
    def _pieces(self, pieces, scope: _Scope, bound: dict, choose) -> Iterator[tuple[list[_Segment], dict]]:
        """Every expansion of a sequence of pieces (one, when `choose` picks one option of each variant).

        An odometer over the pieces rather than a recursion on the rest of them, so that 2,000
        variants on one line nest no deeper than one; picks are made in the same order either way.
        """
        if not pieces:
            yield [], bound
            return
        walks = [self._piece(pieces[0], scope, bound, choose)]  # walks[i]: the options of piece i
        heads: list[list[_Segment]] = []  # heads[i]: the option piece i stands at
        while walks:
            i = len(walks) - 1
            step = next(walks[i], None)
            if step is None:  # piece i has no more options: move the piece before it on
                walks.pop()
                continue
            del heads[i:]
            heads.append(step[0])
            if i + 1 < len(pieces):
                walks.append(self._piece(pieces[i + 1], scope, step[1], choose))
            else:
                yield [segment for head in heads for segment in head], step[1]

    def _piece(self, piece, scope: _Scope, bound: dict, choose):
        self._steps += 1
        if self._steps > limits.MAX_EXPANSION_STEPS:
            raise SketchError(f"expanding this scene takes more than {limits.MAX_EXPANSION_STEPS:,} steps; "
                              "it uses too many variants, variables or wildcard lines inside one another",
                              Location(scope.source, scope.base + getattr(piece, "offset", 0)))
        if isinstance(piece, Text):
            yield [(piece.text, scope.source, scope.base + piece.offset)], bound
        elif isinstance(piece, Variant):
            weights = [option.weight for option in piece.options]
            for index in choose(weights, scope.key(piece.source)):
                yield from self._pieces(piece.options[index].pieces, scope, bound, choose)
        elif isinstance(piece, VarRef):
            if piece.name in bound:
                yield bound[piece.name], bound
                return
            if piece.name not in self.variables:
                raise SketchError(f"variable ${piece.name} is not defined here", Location(
                    scope.source, scope.base + piece.offset, len(piece.name) + 1), "variables live in sketch files")
            template = self.variables[piece.name]
            inner = _Scope(f"let:{piece.name}", self.source, 0, scope.depth + 1)
            for segments, inner_bound in self._pieces(template.pieces, inner, bound, choose):
                yield segments, {**inner_bound, piece.name: segments}
        elif isinstance(piece, Wildcard):
            if scope.depth >= limits.MAX_WILDCARD_DEPTH:
                raise SketchError(f"wildcard __{piece.name}__ nests more than {limits.MAX_WILDCARD_DEPTH} deep; "
                                  "does it use itself?", Location(scope.source, scope.base + piece.offset,
                                                                  len(piece.name) + 4))
            lines = self._wildcard(piece, scope)
            for index in choose([line.weight for line in lines], scope.key(f"__{piece.name}__")):
                line = lines[index]
                inner = _Scope(f"wildcard:{piece.name}:{index}", line.source, line.base, scope.depth + 1)
                yield from self._pieces(line.template.pieces, inner, bound, choose)

    def _wildcard(self, piece: Wildcard, scope: _Scope) -> list[_WildcardLine]:
        if piece.name not in self._wildcards:
            self._wildcards[piece.name] = self._load_wildcard(piece, scope)
        return self._wildcards[piece.name]

    def _load_wildcard(self, piece: Wildcard, scope: _Scope) -> list[_WildcardLine]:
        path = self.wildcard_dir / f"{piece.name}.txt"
        where = Location(scope.source, scope.base + piece.offset, len(piece.name) + 4)
        if not path.exists() and not path.is_symlink():
            raise SketchError(f"no wildcard file {path}", where,
                              f"create {path.name} in {self.wildcard_dir} with one option per line")
        try:  # a folder, a FIFO, a loop, a huge or non-UTF-8 file: each said as it is
            text = read_text(path, "wildcard file", limits.MAX_SKETCH_BYTES)
        except GendslError as error:
            raise SketchError(str(error), where) from None
        source = Source(text, path)
        check_characters(source)
        lines, start = [], 0
        for raw in text.splitlines(keepends=True):
            body = raw.split("#", 1)[0].rstrip("\r\n")
            weight_match = re.match(r"\s*(\d{1,%d}(?:\.\d{0,%d})?)\s*:" % (limits.MAX_NUMBER_CHARS,
                                                                          limits.MAX_NUMBER_CHARS), body)
            weight, skip = (float(weight_match.group(1)), weight_match.end()) if weight_match else (1.0, 0)
            if body[skip:].strip():
                if not 0 < weight <= limits.MAX_WEIGHT:
                    raise SketchError(f"an option's weight must be more than zero and at most {limits.MAX_WEIGHT:g}",
                                      Location(source, start, skip))
                try:
                    template = compile_template_text(body[skip:], Source(body[skip:], path))
                except SketchError as error:  # re-point from the line to the whole file
                    at = error.location
                    raise SketchError(error.message, Location(source, start + skip + at.offset, at.length),
                                      error.hint) from None
                lines.append(_WildcardLine(weight, template, source, start + skip))
            start += len(raw)
        if not lines:
            raise SketchError(f"wildcard file {path} has no options", where, "write one option per line")
        return lines


@dataclass(frozen=True)
class Choice:
    """A variant of a scene (key: its pick key) or a variable (key None), with its options' labels."""

    name: str
    labels: tuple[str, ...]
    key: tuple[str, str, str] | None
    offset: int


def _label(pieces) -> str:
    """An option as the user wrote it: its text, with inner variants shown as written."""
    parts = []
    for piece in pieces:
        if isinstance(piece, Text):
            parts.append(piece.text)
        elif isinstance(piece, Variant):
            parts.append(piece.source)
        elif isinstance(piece, VarRef):
            parts.append(f"${piece.name}")
        else:
            parts.append(f"__{piece.name}__")
    return " ".join("".join(parts).split())


class _Everything:
    def __call__(self, weights, key):
        return range(len(weights))


def scene_from_text(text: str, language, seed: int = 0, wildcard_dir: Path | None = None):
    """A scene written as text, which may hold variants and wildcards, for one seed, compiled by `language`
    (anything with compile(text, locate=None), as a world has)."""
    from .checks import seed as checked_seed, text as checked_text
    seed = checked_seed(seed, strict=False)
    source = Source(checked_text(text, "a scene", limits.MAX_SKETCH_BYTES))
    if len(text) > limits.MAX_SCENE_CHARS:
        raise SketchError(f"a scene is at most {limits.MAX_SCENE_CHARS} characters long", Location(source, 0))
    template = compile_template_text(text, source) if text.strip() else None
    if template is None:
        return language.compile(text)
    return Expander({}, source, wildcard_dir, language).pick(template, seed).compile()
