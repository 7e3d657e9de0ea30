"""Scratch: continue a chapter-4 DCGAN run in stages, scoring G_ema (n=10,000) after each stage.
usage: cont.py FW RUN_DIR TARGETS(comma) OVERRIDES_JSON"""
import json, sys, time
from pathlib import Path
import ganbook
from ganbook import evaluate
import ganbook.config as gcfg
from ganbook.config import TrainConfig
from ganbook.data import scale
from ganbook.data.registry import training_digits
from ganbook.nets.options import DCGANOptions

fw, run, targets, over = sys.argv[1], Path(sys.argv[2]), [int(t) for t in sys.argv[3].split(",")], json.loads(sys.argv[4])
gb = ganbook.backend(fw)
if fw == "torch":
    import torch; torch.set_num_threads(1)
    import ganbook.torch.checkpoint as ck
else:
    import tensorflow as tf; tf.config.threading.set_intra_op_parallelism_threads(1); tf.config.threading.set_inter_op_parallelism_threads(1)
    import ganbook.tf.checkpoint as ck
if over:
    ck.require_compatible = lambda *a, **k: None  # scratch only: change settings mid-run
images, labels, what = training_digits()
x = scale(images)[..., None]
base = dict(model=DCGANOptions(dense=1024, batchnorm=True, dropout=0.0), batch_size=64, lr_g=2e-4, lr_d=2e-4,
            ema=0.999, seed=0, progress=False, keep_checkpoints=100, checkpoint_every=2000)
base.update(over)
log = run / "scores.jsonl"
for target in targets:
    tr = gb.Trainer(TrainConfig(steps=target, **base), out_dir=run)
    tr.resume()
    if tr.step < target:
        t = time.time(); tr.fit(x); dt = time.time() - t
    else:
        dt = 0
    m = evaluate(tr.averaged_generator(), n=10000, framework=fw)["model"]
    row = dict(step=tr.step, seconds=round(dt), score=m["classifier_score"][0], fd=m["fd"], P=m["precision"], R=m["recall"], classes=m["classes"], rkl=m["reverse_kl"])
    print(json.dumps(row), flush=True)
    with open(log, "a") as f: f.write(json.dumps(row) + "\n")
