"""Scratch: self-conditioned DCGAN (k-means clusters of pixel PCA as labels); evaluated as an
unconditional generator that draws its cluster with the data's frequencies (from z[:, 0])."""
import json, sys, time
from pathlib import Path
import numpy as np, torch, torch.nn as nn
import ganbook
from ganbook import evaluate
from ganbook.config import TrainConfig
from ganbook.data import scale
from ganbook.data.registry import training_digits
from ganbook.nets.options import DCGANOptions
torch.set_num_threads(1)
gb = ganbook.backend("torch")
K, out, targets = int(sys.argv[1]), Path(sys.argv[2]), [int(t) for t in sys.argv[3].split(",")]
extra = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
images, labels, _ = training_digits()
x = scale(images)[..., None]

def kmeans_ids(k):
    from scipy.cluster.vq import kmeans2
    flat = x.reshape(len(x), -1).astype(np.float64)
    mu = flat.mean(0); _, _, vt = np.linalg.svd(flat[:5000] - mu, full_matrices=False)
    _, ids = kmeans2((flat - mu) @ vt[:50].T, k, seed=0, minit="++", iter=50)
    return ids.astype(np.int64)

class Unconditional(nn.Module):
    """G(z): the cluster drawn from z[:, 0] by the clusters' frequencies, then the conditional G."""
    def __init__(self, G, freqs):
        super().__init__()
        self.G, self.latent_dim = G, G.latent_dim
        self.register_buffer("cdf", torch.as_tensor(np.cumsum(freqs), dtype=torch.float32))
    def forward(self, z):
        u = torch.special.ndtr(z[:, 0])
        c = torch.searchsorted(self.cdf, u.contiguous()).clamp(max=len(self.cdf) - 1)
        return self.G(z, c)

y = kmeans_ids(K)
freqs = np.bincount(y, minlength=K) / len(y)
purity = sum(np.bincount(labels[y == c]).max() for c in range(K)) / len(y)
print("K", K, "sizes", np.bincount(y).tolist(), "purity %.3f" % purity, flush=True)
import dataclasses
from ganbook.data.registry import get_dataset, register_dataset
register_dataset(dataclasses.replace(get_dataset("mnist"), name=f"mnist-k{K}", n_classes=K))
opts = DCGANOptions(dense=1024, batchnorm=True, dropout=0.0, n_classes=K)
common = dict(dataset=f"mnist-k{K}", batch_size=64, lr_g=2e-4, lr_d=2e-4, ema=0.999, seed=0, progress=False, keep_checkpoints=100, checkpoint_every=1000)
common.update(extra)
for target in targets:
    tr = gb.Trainer(TrainConfig(model=opts, steps=target, **common), out_dir=out)
    tr.resume()
    t = time.time()
    if tr.step < target:
        tr.fit(x, y)
    G = Unconditional(tr.averaged_generator(), freqs).eval()
    m = evaluate(G, n=5000, framework="torch")["model"]
    row = dict(K=K, step=tr.step, seconds=round(time.time() - t), score=m["classifier_score"][0], fd=m["fd"], P=m["precision"], R=m["recall"], classes=m["classes"], rkl=m["reverse_kl"])
    print(json.dumps(row), flush=True)
