"""What the grammar cannot bound: odd characters, nesting, quoted names, and variable chains.

Each check runs in time linear in the sketch, before anything is expanded, so a
hostile sketch (`{` 500 deep, 1,200 chained `let`s, 22 lines of `let v0 = $v1 $v1`
whose text doubles with each line, used or not) is refused at once with a located
message instead of a RecursionError or minutes of work.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

from lark import Tree

from .. import limits
from .errors import Location, SketchError
from .ir import Source, Template, Text, Variant, VarRef

Error = Callable[..., SketchError]  # (message, offset, length=1, hint=None) -> a located SketchError

_ESCAPES = {'"': '"', "\\": "\\"}


def check_characters(source: Source) -> None:
    """Refuse control characters, invisible ones and Unicode line breaks (U+2028, U+0085 …): a line break
    the grammars do not split on, or a character nobody sees. Spaces people type (a no-break space, a tab)
    are taken as plain spaces by the parser (parser.plain_spaces)."""
    for match in re.finditer(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\ufeff]",
                             source.text):
        char = match.group(0)
        name = unicodedata.name(char, "a control character")
        blank = char.isspace() or unicodedata.category(char) in ("Zs", "Zl", "Zp", "Cf")
        hint = "write a plain line break instead" if char.isspace() else "remove it" if not blank else \
            "remove it (it is invisible)"
        raise SketchError(f"unexpected character U+{ord(char):04X} ({name.lower()})",
                          Location(source, match.start()), hint)


def check_tree_depth(tree: Tree, source: Source) -> None:
    """Refuse variants nested past limits.MAX_NESTING before the (recursive) compiler walks the tree."""
    most = 2 * limits.MAX_NESTING + 4  # each variant adds two levels: the variant and its option
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > most:
            offset = getattr(node.meta, "start_pos", 0) if not node.meta.empty else 0
            raise SketchError(f"variants nest more than {limits.MAX_NESTING} deep", Location(source, offset))
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


def unquote(token: str, offset: int, error: Error) -> str:
    """A quoted name's text: only \\" and \\\\ are escapes (no Python escapes, so no "\\N" surprises)."""
    body = token[1:-1]
    for match in re.finditer(r"\\(.)", body, re.S):
        if match.group(1) not in _ESCAPES:
            raise error(f'unknown escape "\\{match.group(1)}" in a quoted name', offset + 1 + match.start(), 2,
                        'only \\" (a quote) and \\\\ (a backslash) are escapes')
    value = re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], body, flags=re.S)
    if len(value) > limits.MAX_NAME_CHARS:
        raise error(f"a name is at most {limits.MAX_NAME_CHARS} characters", offset, len(token))
    return value


def refs(pieces) -> list[VarRef]:
    """Every $variable a template uses, however deep in variants."""
    found, stack = [], [pieces]
    while stack:
        for piece in stack.pop():
            if isinstance(piece, VarRef):
                found.append(piece)
            elif isinstance(piece, Variant):
                stack.extend(option.pieces for option in piece.options)
    return found


def _longest(pieces, sizes: dict[str, int]) -> int:
    """The most characters the pieces can expand to (wildcards count as nothing here: they are bounded
    as they are read), saturated just past the limit so that huge chains stay cheap to count."""
    total = 0
    for piece in pieces:
        if isinstance(piece, Text):
            total += len(piece.text)
        elif isinstance(piece, Variant):
            total += max(_longest(option.pieces, sizes) for option in piece.options)
        elif isinstance(piece, VarRef):
            total += sizes[piece.name]
        total = min(total, limits.MAX_EXPANSION_CHARS + 1)
    return total


def _deepest(pieces, depths: dict[str, int]) -> int:
    """How deep variants and variables nest in the pieces."""
    most = 0
    for piece in pieces:
        if isinstance(piece, Variant):
            most = max(most, 1 + max(_deepest(option.pieces, depths) for option in piece.options))
        elif isinstance(piece, VarRef):
            most = max(most, 1 + depths[piece.name])
    return most


def check_variables(error: Error, variables: dict[str, Template], scenes: dict) -> None:
    """Every $variable is defined, none refers to itself, and none (used or not) nests too deep or
    expands past limits.MAX_EXPANSION_CHARS; scenes are held to the same bounds."""
    from .errors import suggestion_hint
    templates = [*variables.values(), *(d.template for d in scenes.values())]
    for template in templates:
        for ref in refs(template.pieces):
            if ref.name not in variables:
                raise error(f"variable ${ref.name} is not defined", ref.offset, len(ref.name) + 1,
                            suggestion_hint(ref.name, list(variables), cutoff=0.5)
                            or f"define it first: let {ref.name} = {{red | blue}}")
    sizes: dict[str, int] = {}
    depths: dict[str, int] = {}
    for root in variables:  # depth first, without recursion: a chain may be 1,200 lets long
        if root in sizes:
            continue
        path, stack = [root], [iter(refs(variables[root].pieces))]
        while stack:
            ref = next(stack[-1], None)
            if ref is None:
                name = path.pop()
                stack.pop()
                _bound(error, name, variables[name], sizes, depths)
            elif ref.name in path:
                cycle = " -> ".join(f"${n}" for n in (*path[path.index(ref.name):], ref.name))
                raise error(f"variable ${ref.name} refers to itself ({cycle})", ref.offset, len(ref.name) + 1)
            elif ref.name not in sizes:
                path.append(ref.name)
                stack.append(iter(refs(variables[ref.name].pieces)))
    for name, decl in scenes.items():
        _bound(error, f'scene "{name}"', decl.template, sizes, depths, scene=True)


def _bound(error: Error, name: str, template: Template, sizes: dict, depths: dict, scene: bool = False) -> None:
    what = name if scene else f"variable ${name}"
    depth = _deepest(template.pieces, depths)
    if depth > limits.MAX_NESTING:
        raise error(f"{what} nests variants and variables more than {limits.MAX_NESTING} deep",
                    template.offset, 1, "use fewer variables inside one another")
    size = _longest(template.pieces, sizes)
    if size > limits.MAX_EXPANSION_CHARS:
        raise error(f"{what} can expand to more than {limits.MAX_EXPANSION_CHARS:,} characters", template.offset, 1,
                    "use fewer or shorter variants" if scene else
                    "a variable used twice in another one doubles its text: use fewer")
    if not scene:
        sizes[name], depths[name] = size, depth
