"""Run by tests/train/test_distributed.py, once per worker with its TF_CONFIG (or alone,
without one, as the single-device reference): trains the toy GAN under
tf.distribute.MultiWorkerMirroredStrategy to `steps`, resuming from `out_dir`.
Prints one JSON line."""
import json
import os
import sys

from ganbook.book.notebook import import_tensorflow
tf = import_tensorflow()

import ganbook.tf as gb  # noqa: E402
from ganbook.config import TrainConfig  # noqa: E402
from ganbook.data.registry import training_data  # noqa: E402
from ganbook.train.runlock import LOCK_NAME  # noqa: E402

out_dir, steps = sys.argv[1], int(sys.argv[2])
strategy = tf.distribute.MultiWorkerMirroredStrategy()
config = TrainConfig(model="toy", dataset="ring", latent_dim=2, batch_size=64, steps=8, progress=False,
                     log_every=2, seed=3, checkpoint_every=4)
x = training_data(config)[0][:4000]
with strategy.scope():
    t = gb.Trainer(config, out_dir=out_dir)
t.resume()
at = t.step
h = t.fit(x, steps=steps)
# The run folder's checkpoints, and whether the run-folder lock (ganbook.train.runlock) is there.
files = sorted(os.listdir(out_dir))
print(json.dumps({"main": t.is_main, "resumed_at": at, "d_loss": h["d_loss"],
                  "files": [f for f in files if f.startswith("ckpt-")], "lock": LOCK_NAME in files}))
