"""What a train_step needs to run the same on one device or on N replicas (tf.distribute.MirroredStrategy).

The driver hands each replica its slice of the global batch. A step written with these helpers
computes what one device computes on the whole batch: noise is drawn for the global batch from
the step's seed and sliced (so replica 1 does not draw replica 0's noise), and a loss that is a
mean over examples is divided by the number of replicas (the optimizer sums gradients across
replicas). On one device every helper is the identity, so one-device runs are bit for bit what
they were.
"""
from __future__ import annotations


def replica() -> tuple[int, int]:
    """(this replica's index, number of replicas); (0, 1) outside a distribution strategy."""
    import tensorflow as tf

    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return 0, 1
    return ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync


def normal(shape, seed):
    """Standard normal noise of a local batch `shape`: the replica's rows of the global batch's draw."""
    import tensorflow as tf

    index, count = replica()
    if count == 1:
        return tf.random.stateless_normal(shape, seed=seed)
    shape = tf.convert_to_tensor(shape)
    rows = shape[0]
    draw = tf.random.stateless_normal(tf.concat([[rows * count], shape[1:]], 0), seed=seed)
    return draw[index * rows:(index + 1) * rows]


def global_mean(loss):
    """A mean over the local batch, scaled so the replicas' summed gradients are the global mean's."""
    _, count = replica()
    return loss if count == 1 else loss / count


def assign(variables, values) -> None:
    """variable.assign(value) for each pair; across replicas, once per device from its own (equal) value
    (a MirroredVariable cannot be assigned directly in a replica's context)."""
    import tensorflow as tf

    variables, values = list(variables), list(values)
    _, count = replica()
    if count == 1:
        for variable, value in zip(variables, values):
            variable.assign(value)
        return

    def update(strategy, values):
        for variable, value in zip(variables, values):
            target = getattr(variable, "value", variable)  # a Keras variable's tf.Variable
            strategy.extended.update(target, lambda v, x: v.assign(x), args=(value,))
    tf.distribute.get_replica_context().merge_call(update, args=(values,))


def loss_scaled(optimizer):
    """The optimizer, wrapped to scale the loss when Keras's policy is mixed_float16 (float16 gradients
    underflow without it); as it is otherwise. Steps call optimizer.scale_loss, the identity then."""
    import keras

    if keras.mixed_precision.global_policy().name != "mixed_float16":
        return optimizer
    return keras.optimizers.LossScaleOptimizer(optimizer)
