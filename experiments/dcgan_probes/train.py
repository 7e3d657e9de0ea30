"""Scratch: train an MNIST GAN on the 60k training digits, keeping every checkpoint."""
import json, sys, time
import ganbook
from ganbook.config import TrainConfig
from ganbook.data import scale
from ganbook.data.registry import training_digits
from ganbook.nets.options import model_options

fw, out, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
settings = json.loads(sys.argv[4])
model = settings.pop("model", {"name": "dcgan"})
name = model.pop("name")
gb = ganbook.backend(fw)
if fw == "torch":
    import torch; torch.set_num_threads(1)
else:
    import tensorflow as tf; tf.config.threading.set_intra_op_parallelism_threads(1); tf.config.threading.set_inter_op_parallelism_threads(1)
images, labels, what = training_digits()
x = scale(images)[..., None]
opts = model_options(name).__class__(**model)
cfg = TrainConfig(model=opts, steps=steps, checkpoint_every=int(settings.pop("ckpt", 1000)), keep_checkpoints=100, progress=False, **settings)
if cfg.model.flat:
    x = x.reshape(len(x), -1)
tr = gb.Trainer(cfg, out_dir=out)
tr.resume()
t = time.time()
tr.fit(x, labels if getattr(opts, "n_classes", 0) else None)
print("done", tr.step, time.time() - t, flush=True)
