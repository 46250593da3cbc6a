"""A parsed scene phrase to its canonical `Scene` (grammar.lark, parser.py).

Mistakes are gathered, not raised one by one: every unknown word of a phrase is
reported in one pass (with the parser's own recovery, parser.py). Words the world
cannot draw are left out and reported as a warning (unknown.py, lang/unused.py).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from lark import Token, Transformer, v_args

from ... import limits
from ...lang.bounds import check_characters
from ...lang.compiler import run_transformer
from ...lang.errors import Location, SketchError, SketchErrors
from ...lang.ir import Source
from ...lang.unused import report_unused, unused_warning
from . import unknown, vocab
from .ir import Blend, Item, Scene, canonical
from .parser import Locate, parse_scene


@dataclass(frozen=True)
class _Word:
    """A compiled word or blend, with where it was written."""

    category: str
    value: object  # str or Blend
    offset: int
    length: int
    plural: bool = False


def _word(token: Token) -> _Word:
    cat = next(c for c in vocab.WORD_CATEGORIES if c.terminal == token.type)
    phrase = vocab.normalize_phrase(token)
    return _Word(cat.name, cat.heard[phrase], token.start_pos, len(token), phrase in cat.plurals)


def _is_other(child) -> bool:
    return isinstance(child, Token) and child.type == "WORD"


# A time said without a preposition may follow words that describe it: 'on a rainy day'.
_BARE_TIMES = frozenset(p for p in vocab.TIME.heard if p.split()[0] not in
                        {*vocab.PREPOSITIONS, "by", "during", "after"})


class SceneCompiler(Transformer):
    def __init__(self, locate: Locate):
        super().__init__()
        self.locate = locate
        self.errors: list[SketchError] = []  # unknown words, all reported at the end
        self.unused: list[tuple[str, Location]] = []  # words the world cannot draw, left out

    def _error(self, message: str, where: _Word | Token, hint: str | None = None) -> SketchError:
        offset, length = (where.offset, where.length) if isinstance(where, _Word) else (where.start_pos, len(where))
        return SketchError(message, self.locate(offset, length), hint)

    def _at(self, token: Token, length: int | None = None) -> Location:
        return self.locate(token.start_pos, len(token) if length is None else length)

    def _modifier(self, token: Token, where: str = "modifier") -> None:
        error = unknown.modifier(str(token), self._at(token), where)
        if error:
            self.errors.append(error)
        else:
            self.unused.append((str(token), self._at(token)))

    def blend_part(self, children):
        word_token, number = children
        word = _word(word_token)
        if len(number) > limits.MAX_NUMBER_CHARS or float(number) > limits.MAX_WEIGHT:
            raise self._error(f"a blend weight is at most {limits.MAX_WEIGHT:g}", number)
        return word, float(number)

    @v_args(meta=True)
    def blend(self, meta, parts):
        categories = {word.category for word, _ in parts}
        where = _Word("blend", None, meta.start_pos, meta.end_pos - meta.start_pos)
        if len(categories) > 1:
            raise self._error(f"a blend mixes values of one kind, not {' and '.join(sorted(categories))}", where)
        category = categories.pop()
        if category not in {c.name for c in vocab.BLENDABLE}:
            raise self._error(f"{category}s cannot be blended", where)
        try:
            value = Blend.of((word.value, weight) for word, weight in parts)
        except ValueError as error:
            raise self._error(str(error), where) from None
        plural = any(word.plural for word, _ in parts)
        return _Word(category, value, where.offset, where.length, plural)

    def group(self, children) -> tuple[Item, _Word]:
        nouns = [c for c in children if not (isinstance(c, Token) and c.type == "POSITION")]
        if _is_other(nouns[-1]):  # an unknown thing where the object stands: 'a cat'
            token = nouns[-1]
            self.errors.append(unknown.thing(str(token), vocab.OBJECT, self._at(token)))
            children = [c for c in children if c is not token]
            children.append(Token("OBJECT", vocab.OBJECT.values[0], token.start_pos))  # to read on
        attrs: dict[str, _Word] = {}
        has_article = False
        for child in children:
            if _is_other(child):
                self._modifier(child)
                continue
            if isinstance(child, Token) and child.type == "ARTICLE":
                has_article = True
                continue
            word = child if isinstance(child, _Word) else _word(child)
            if word.category in attrs:
                first = attrs[word.category]
                raise self._error(
                    f"two {word.category}s for one object: {first.value} and {word.value}", word,
                    f"write a blend like ({first.value}:0.5, {word.value}:0.5) to mix them"
                    if word.category in ("color", "size") else None)
            attrs[word.category] = word
        for word in attrs.values():
            if word.category not in ("count", "color", "size", "object", "position"):
                raise self._error(f"a {word.category} cannot describe an object", word)
        if "object" not in attrs:
            raise self._error("the blend stands where an object should; blend objects, like (car:0.5, truck:0.5)",
                              next(c for c in children if isinstance(c, _Word)))
        noun = attrs["object"]
        if "count" in attrs:
            count = attrs["count"].value
        else:
            count = "many" if noun.plural and not has_article else "one"
        item = Item(object=noun.value, color=_value(attrs.get("color")), size=_value(attrs.get("size")),
                    count=count, position=_value(attrs.get("position")))
        return item, noun

    def setting(self, children) -> _Word | None:
        others = [c for c in children if _is_other(c)]
        last = children[-1]
        placeless = _is_other(last) or (others and isinstance(last, Token) and last.type == "TIME"
                                        and vocab.normalize_phrase(last) not in _BARE_TIMES)
        if placeless:  # 'on a sofa', 'on a sofa at night': unknown words where the place stands
            first = others[0]
            end = others[-1].end_pos
            text = " ".join(str(o) for o in others)
            self.errors.append(unknown.thing(text, vocab.PLACE, self._at(first, end - first.start_pos)))
            return _word(last) if not _is_other(last) else None
        for other in others:  # 'a dry grass field', 'a rainy day'
            self._modifier(other, "place modifier")
        words = [c if isinstance(c, _Word) else _word(c) for c in children
                 if isinstance(c, _Word) or c.type not in ("PREP", "ARTICLE", "RELATION", "WORD")]
        word = words[0]
        if word.category not in ("place", "time"):
            raise self._error(f"a blend after a preposition mixes places or times, not {word.category}s", word)
        return word

    near = setting  # 'next to the road' says where the scene is

    def scene(self, children) -> Scene:
        items: list[Item] = []
        settings: dict[str, _Word] = {}
        for child in children:
            if child is None:  # a setting that was only unknown words
                continue
            if isinstance(child, Token):  # a RELATION (or a plain "and") between two groups
                items[-1] = replace(items[-1], relation=_word(child).value if child.type == "RELATION" else None)
            elif isinstance(child, _Word):
                if child.category in settings:
                    first = settings[child.category]
                    raise self._error(f"two {child.category}s in one scene: {first.value} and {child.value}", child)
                settings[child.category] = child
            else:
                item, noun = child
                if len(items) == vocab.MAX_ITEMS:
                    raise self._error(f"a scene holds at most {vocab.MAX_ITEMS} object groups", noun)
                items.append(item)
        return canonical(Scene(items=tuple(items), place=_value(settings.get("place")),
                               time=_value(settings.get("time"))))


def _offset(error: SketchError) -> int:
    return error.location.offset if error.location else 0


def _value(word: _Word | None):
    return None if word is None else word.value


def compile_scene_text(text: str, locate: Locate | None = None, strict: bool = False) -> Scene:
    """Parse and compile one concrete scene phrase (no variants) to its canonical Scene.

    Words the world cannot draw are left out with an UnusedWords warning (lang.unused.unused_words
    collects them); strict: they are an error instead."""
    if locate is None:
        source = Source(text)
        locate = lambda offset, length: Location(source, offset, length)  # noqa: E731
        check_characters(source)
    if not text.strip():
        raise SketchError("the scene is empty; write what to draw, like: a red car on the road", locate(0, 1))
    if len(text) > limits.MAX_SCENE_CHARS:
        raise SketchError(f"a scene is at most {limits.MAX_SCENE_CHARS} characters long", locate(0, 1))
    compiler = SceneCompiler(locate)
    tree = parse_scene(text, locate, compiler.errors)
    if tree is None:
        raise SketchErrors.of(compiler.errors)
    try:
        scene = run_transformer(compiler, tree)
    except SketchError as error:  # a mistake the compiler stops at, beside those found before it
        raise SketchErrors.of(sorted([*compiler.errors, error], key=_offset)) from None
    if compiler.errors:
        raise SketchErrors.of(sorted(compiler.errors, key=_offset))
    if compiler.unused:
        report_unused(unused_warning(compiler.unused), strict)
    return scene


def compile_scene(text: str, seed: int = 0, strict: bool = False) -> Scene:
    """The canonical Scene a phrase means; variants and wildcards are picked from `seed`.

    Words the world cannot draw ('a vintage car') are left out with an UnusedWords warning
    (Python's warnings; `gendsl.unused_words()` collects them instead); strict: they are an error."""
    from ...lang.expand import scene_from_text
    from ...lang.unused import unused_words
    from .. import get

    world = get("scene")  # the registry's, built once
    if not strict:
        return scene_from_text(text, world, seed)
    with unused_words(strict=True):
        return scene_from_text(text, world, seed)
