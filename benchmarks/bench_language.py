"""Scenes parsed and compiled per second: LALR (what gendsl uses) beside Earley on the same grammar.

    python benchmarks/bench_language.py [--seconds 3]

Both parsers get the same scene grammar (gendsl/worlds/scene/grammar.lark plus the word
terminals generated from the vocabulary) and the same sentences; both trees go
through the same compiler, and both must give the same scenes. Prints one
table; the ratio is measured side by side in one run.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from gendsl.worlds.scene.compiler import SceneCompiler
from gendsl.lang.compiler import run_transformer as _transform
from gendsl.lang.errors import Location
from gendsl.lang.ir import Source
from gendsl.worlds.scene.parser import scene_parser

SENTENCES = [
    "yellow school bus in parking lot",
    "a yellow school bus parked in a parking lot",
    "a stop sign is flying in blue skies",
    "a herd of elephants flying in blue skies",
    "two small red cars next to a house on the beach at night",
    "a large green tree left of a purple balloon in a snowy field",
    "a (yellow:0.6, red:0.4) car on the road",
    "three big blue trucks to the right of a white house below a cloud on the road during the day",
]


def compile_with(kind: str, text: str):
    source = Source(text)
    tree = scene_parser(kind).parse(text)
    return _transform(SceneCompiler(lambda o, n: Location(source, o, n)), tree)


def rate(kind: str, seconds: float) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in SENTENCES:
            compile_with(kind, text)
        done += len(SENTENCES)
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per parser per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for kind in ("lalr", "earley"):  # build both parsers, check they agree, warm up
        scene_parser(kind)
    for text in SENTENCES:
        assert compile_with("lalr", text) == compile_with("earley", text), text
    results = {"lalr": [], "earley": []}
    for _ in range(args.rounds):  # interleaved rounds, so drift on a shared machine hits both alike
        for kind in results:
            results[kind].append(rate(kind, args.seconds))
    lalr, earley = (float(np.median(results[k])) for k in ("lalr", "earley"))
    print(f"{'parser':<8} {'scenes/s (median of ' + str(args.rounds) + ')':>28} {'ms/scene':>10}")
    print(f"{'LALR':<8} {lalr:>28,.0f} {1000 / lalr:>10.3f}")
    print(f"{'Earley':<8} {earley:>28,.0f} {1000 / earley:>10.3f}")
    print(f"LALR / Earley speed: {lalr / earley:.1f}x")


if __name__ == "__main__":
    main()
