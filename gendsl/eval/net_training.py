"""What the training driver (gendsl.train) needs of a judge's network trained on one loss.

A judge's training adapter (fit.py, box_fit.py, place_fit.py) sets `net` and `optimizer` and says how a
batch's loss is computed (`loss_of`); the step, the metrics and the checkpointed state are the same for all.
"""
from __future__ import annotations


class NetTraining:
    net = None
    optimizer = None

    def start(self, net, optimizer) -> None:
        import keras

        self.net, self.optimizer = net, optimizer
        optimizer.build(net.trainable_variables)
        self.loss = keras.metrics.Mean(name="loss")

    def loss_of(self, batch):
        """The batch's scalar training loss, computed with the network in training mode."""
        raise NotImplementedError

    @property
    def metrics(self):
        return [self.loss]

    def state_variables(self) -> list:
        return [*self.net.weights, *self.optimizer.variables]

    def train_step(self, batch) -> dict:
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = self.loss_of(batch)
        variables = self.net.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        self.loss.update_state(loss)
        return {"loss": self.loss.result()}
