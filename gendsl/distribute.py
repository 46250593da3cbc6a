"""Devices for training: N replicas (tf.distribute.MirroredStrategy), mixed precision, XLA.

One replica is the plain one-device path (no strategy at all), so a one-device run, and its
resume, stay bit for bit. N replicas mirror the model on N GPUs when TensorFlow sees that many,
else on N logical devices carved out of the CPU (the way to test multi-device training without a
GPU; it must happen before TensorFlow starts its runtime, so ask for it first thing). Mixed
precision and XLA (auto-clustering) are switches, off by default, to be measured where they are used
(benchmarks/bench_train.py), never assumed to help.
"""
from __future__ import annotations

from .lang.errors import GendslError


def strategy_for(replicas: int):
    """None for one replica; else a MirroredStrategy over `replicas` GPUs or logical CPU devices."""
    if replicas < 1:
        raise GendslError(f"--replicas must be 1 or more, not {replicas}")
    if replicas == 1:
        return None
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if len(gpus) >= replicas:
        return tf.distribute.MirroredStrategy([f"/gpu:{i}" for i in range(replicas)])
    if gpus:
        raise GendslError(f"--replicas {replicas} asks for more GPUs than the {len(gpus)} TensorFlow sees")
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * replicas)
    except RuntimeError:  # the runtime already started with its own devices
        logical = tf.config.list_logical_devices("CPU")
        if len(logical) < replicas:
            raise GendslError("TensorFlow started before the CPU could be split into replicas; "
                              "--replicas on a CPU needs a fresh process") from None
    return tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(replicas)],
                                          cross_device_ops=tf.distribute.ReductionToOneDevice())


def set_precision(mixed: bool) -> None:
    """Keras's global dtype policy for the models built next: mixed_float16 (float16 math, float32
    weights; the optimizers then scale the loss) or plain float32."""
    import keras

    keras.mixed_precision.set_global_policy("mixed_float16" if mixed else "float32")



def set_xla(on: bool) -> None:
    """XLA auto-clustering for the graphs built next: XLA compiles the parts of the step it can and
    TensorFlow runs the rest. Not jit_compile=True, which needs every op in XLA: the layout models'
    area resize (ResizeArea) has no XLA kernel. On a CPU, TensorFlow forms clusters only with
    TF_XLA_FLAGS=--tf_xla_cpu_global_jit (set here before the first graph runs)."""
    import os

    import tensorflow as tf

    if on and "--tf_xla_cpu_global_jit" not in os.environ.get("TF_XLA_FLAGS", ""):
        os.environ["TF_XLA_FLAGS"] = (os.environ.get("TF_XLA_FLAGS", "") + " --tf_xla_cpu_global_jit").strip()
    tf.config.optimizer.set_jit("autoclustering" if on else False)
