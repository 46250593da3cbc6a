"""`gendsl worlds`: the worlds gendsl knows, with their words.

    gendsl worlds                    # every built-in world: its kinds, words and synonyms
    gendsl worlds examples/shapes    # a folder's own world (its world.toml)
    gendsl worlds runs/mine          # the world a saved model speaks (its config.json)
"""
from __future__ import annotations

from pathlib import Path

from .. import worlds

SHOWN = 4  # synonyms listed a word (the scene world has dozens for some)


def register(sub, train) -> dict:
    command = sub.add_parser("worlds", help="list the worlds gendsl knows, with their words")
    command.add_argument("where", nargs="*", help="data folders (world.toml) or saved models to show the world of "
                         "(default: the built-in worlds)")
    command.add_argument("--short", action="store_true", help="words only, no synonyms")
    command.set_defaults(func=cmd_worlds)
    return {}


def resolve(where: str) -> worlds.World:
    if (Path(where) / worlds.TOML).is_file():
        return worlds.from_folder(where)
    if where in worlds.names():
        return worlds.get(where)
    from ..models import world_of
    world = world_of(where)
    if world is None:
        from ..lang.errors import GendslError
        raise GendslError(f"{where} speaks no world's words")
    return world


def describe(world: worlds.World, short: bool = False) -> str:
    has = [what for what, present in (("a renderer", type(world).render is not worlds.World.render),
                                      ("layout maps", world.map_channels is not None),
                                      (f"judges ({', '.join(world.judges)})", bool(world.judges))) if present]
    lines = [f"{world.name} (version {world.version}; {world.dim} numbers a scene"
             + (f"; {', '.join(has)}" if has else "") + ")"]
    for kind, words in world.words().items():
        said = [w if short or not synonyms else f"{w} ({', '.join(synonyms[:SHOWN])}{' …' * (len(synonyms) > SHOWN)})"
                for w, synonyms in words.items()]
        lines.append(f"  {kind}: {', '.join(said)}")
    return "\n".join(lines)


def cmd_worlds(args) -> int:
    chosen = [resolve(w) for w in args.where] if args.where else [worlds.get(n) for n in worlds.names()]
    print("\n\n".join(describe(w, args.short) for w in chosen))
    return 0
