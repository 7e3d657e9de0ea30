"""Run by tests/train/test_user_networks.py in a fresh process: train user networks
on the two moons with checkpoints, optionally resuming. Prints the history as JSON.

    python tests/helpers/user_run.py FRAMEWORK OUT_DIR STEPS [--resume] [--die-at STEP]

--die-at: the process SIGKILLs itself at that step (between checkpoints), as a crash would.
"""
import json
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import ganbook  # noqa: E402
from ganbook.config import TrainConfig  # noqa: E402
from tests.helpers.user_nets import LATENT, moons, networks  # noqa: E402

fw, out_dir, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
gb = ganbook.backend(fw)
G, D = networks(fw)
config = TrainConfig(latent_dim=LATENT, batch_size=64, lr_g=1e-3, lr_d=1e-3, ema=0.9, steps=steps,
                     checkpoint_every=20, keep_checkpoints=0, log_every=1, progress=False)
hooks = []
if "--die-at" in sys.argv:
    die_at = int(sys.argv[sys.argv.index("--die-at") + 1])
    hooks.append(lambda t: t.step == die_at and os.kill(os.getpid(), signal.SIGKILL))
trainer = gb.Trainer(config.replace(sample_every=10), out_dir=out_dir, G=G, D=D, hooks=hooks)
if "--resume" in sys.argv:
    trainer.resume()
history = trainer.fit(moons(2000))
print(json.dumps({"d_loss": history["d_loss"], "g_loss": history["g_loss"]}))
