"""Scratch probes against the torch DCGAN baseline (7.15@1k, 8.15@2k, 8.61@4k, n=5000)."""
import json, sys, time
from pathlib import Path
import numpy as np, torch, torch.nn as nn
import ganbook
from ganbook import evaluate
from ganbook.config import TrainConfig
from ganbook.data import scale
from ganbook.data.registry import training_digits
from ganbook.nets.options import DCGANOptions
from ganbook.torch.models import DCGANGenerator, DCGANDiscriminator
torch.set_num_threads(1)
gb = ganbook.backend("torch")
mode, out, targets = sys.argv[1], Path(sys.argv[2]), [int(t) for t in sys.argv[3].split(",")]
images, labels, _ = training_digits()
x = scale(images)[..., None]
common = dict(batch_size=64, lr_g=2e-4, lr_d=2e-4, ema=0.999, seed=0, progress=False, keep_checkpoints=100, checkpoint_every=1000)
K = 10

class CodeG(nn.Module):
    """z (N,100): its first K entries pick a one-hot code (argmax), which replaces them."""
    def __init__(self, latent_dim=100, weight=1.0):
        super().__init__()
        self.latent_dim, self.weight = latent_dim, weight
        self.inner = DCGANGenerator(latent_dim)
    def forward(self, z):
        code = nn.functional.one_hot(z[:, :K].argmax(1), K).to(z.dtype) * self.weight
        return self.inner(torch.cat([code, z[:, K:]], 1))

def kmeans_ids():
    from scipy.cluster.vq import kmeans2
    flat = x.reshape(len(x), -1).astype(np.float64)
    mu = flat.mean(0); u, s, vt = np.linalg.svd(flat[:5000] - mu, full_matrices=False)
    feats = (flat - mu) @ vt[:50].T
    _, ids = kmeans2(feats, K, seed=0, minit="++", iter=50)
    return ids.astype(np.int64)

y, kwargs = None, {}
opts = DCGANOptions(dense=1024, batchnorm=True, dropout=0.0)
if mode.startswith("code"):
    w = float(mode[4:] or 1)
    kwargs = dict(G=lambda: CodeG(100, w), D=lambda: DCGANDiscriminator(dense=1024, batchnorm=True, dropout=0.0))
elif mode == "kmeans":
    opts = DCGANOptions(dense=1024, batchnorm=True, dropout=0.0, n_classes=K)
    y = kmeans_ids()
    print("cluster sizes", np.bincount(y).tolist(), flush=True)
for target in targets:
    tr = gb.Trainer(TrainConfig(model=opts, steps=target, **common), out_dir=out, **kwargs)
    tr.resume()
    t = time.time()
    if tr.step < target:
        tr.fit(x, y) if y is not None else tr.fit(x)
    m = evaluate(tr.averaged_generator(), n=5000, framework="torch")["model"]
    row = dict(mode=mode, step=tr.step, seconds=round(time.time() - t), score=m["classifier_score"][0], fd=m["fd"], P=m["precision"], R=m["recall"], classes=m["classes"], rkl=m["reverse_kl"])
    print(json.dumps(row), flush=True)
