"""Run by tests/train/test_distributed.py in a fresh process: TF sees two logical CPUs
(which must be set before TensorFlow starts), and the trainer under
MirroredStrategy is compared with one device. Prints one JSON line."""
import json
import sys

from ganbook.book.notebook import import_tensorflow

tf = import_tensorflow()
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import numpy as np  # noqa: E402

import ganbook.tf as gb  # noqa: E402
from ganbook.config import TrainConfig  # noqa: E402
from ganbook.data.registry import training_data  # noqa: E402

out_dir = sys.argv[1]
config = TrainConfig(model="toy", dataset="ring", latent_dim=2, batch_size=64, steps=8, progress=False,
                     log_every=2, seed=3, checkpoint_every=4)
x = training_data(config)[0][:4000]
single = gb.Trainer(config).fit(x)
strategy = tf.distribute.MirroredStrategy(["/CPU:0", "/CPU:1"])
with strategy.scope():
    straight = gb.Trainer(config)
    first = gb.Trainer(config, out_dir=out_dir)
straight.fit(x)
first.fit(x, steps=4)  # leaves ckpt-00000004 behind, like a run killed after its checkpoint
with strategy.scope():
    resumed = gb.Trainer(config, out_dir=out_dir)
resumed.resume()
resumed_at = resumed.step
resumed.fit(x)
with strategy.scope():
    try:
        gb.Trainer(config.replace(batch_size=63))
        odd_batch = "accepted"
    except ValueError as err:
        odd_batch = str(err)
keys = ("d_loss", "g_loss", "d_real", "d_fake")
print(json.dumps({
    "replicas": straight.replicas,
    "max_diff": max(float(np.max(np.abs(np.subtract(single[k], straight.history[k])))) for k in keys),
    "resume_diff": max(float(np.max(np.abs(np.subtract(single[k], resumed.history[k])))) for k in keys),
    "resumed_at": resumed_at, "steps": resumed.history["step"], "odd_batch": odd_batch,
}))
