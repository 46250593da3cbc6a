"""Options for scale: training on several devices (`gendsl train ... --replicas N --mixed-precision --xla`)
and rendering or building datasets on a Ray cluster (`gendsl render|data ... --cluster ray[://HOST:PORT]`).

Added to the core parsers from here, so cli.py stays as it is: `--cluster` wraps the render and data
commands' handlers, which run as before when it is not given.
"""
from __future__ import annotations


def register(sub, train) -> dict:
    train.add_argument("--replicas", type=int, default=1, help="train on N devices (tf.distribute.MirroredStrategy): "
                       "N GPUs, or N logical devices split from the CPU; the global batch is --batch")
    train.add_argument("--mixed-precision", action="store_true", help="float16 math with float32 weights "
                       "(mixed_float16, loss scaling); off by default: measure it on your device")
    train.add_argument("--xla", action="store_true", help="XLA auto-clustering: XLA compiles what it can of the step "
                       "(off by default: measure it)")
    for name in ("render", "data"):
        parser = sub.choices.get(name)
        if parser is not None:
            parser.add_argument("--cluster", metavar="ray[://HOST:PORT]",
                                help="run on a Ray cluster: 'ray' starts a local one (or joins RAY_ADDRESS), "
                                     "ray://HOST:PORT joins that one (pip install 'gendsl[cluster]')")
            parser.set_defaults(func=_clustered(parser.get_default("func")))
    return {}


def _clustered(local):
    def handler(args):
        if not getattr(args, "cluster", None):
            return local(args)
        from ..cluster import run_command
        return run_command(args, local)
    handler.__name__ = getattr(local, "__name__", "handler")
    return handler
