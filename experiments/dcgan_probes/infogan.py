"""Scratch: DCGAN + InfoGAN categorical code (K=10), torch, own loop; compare with baseline
(7.15@1k, 8.15@2k, 8.61@4k at n=5000)."""
import copy, json, sys, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from ganbook import evaluate
from ganbook.data import scale
from ganbook.data.registry import training_digits
from ganbook.torch.models import DCGANGenerator, DCGANDiscriminator
from ganbook.torch.sampling import recalibrate_batchnorm
torch.set_num_threads(1); torch.manual_seed(0)
K, lam, steps = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
images, labels, _ = training_digits()
x = torch.as_tensor(scale(images)[:, None])

class G(nn.Module):
    def __init__(s):
        super().__init__(); s.latent_dim = 100; s.inner = DCGANGenerator(100)
    def forward(s, z):
        code = F.one_hot(z[:, :K].argmax(1), K).to(z.dtype)
        return s.inner(torch.cat([code, z[:, K:]], 1))

class D(nn.Module):
    def __init__(s):
        super().__init__(); s.inner = DCGANDiscriminator(dense=1024, batchnorm=True, dropout=0.0)
        s.q = nn.Linear(1024, K); s._h = None
        last = [m for m in s.inner.modules() if isinstance(m, nn.Linear)][-1]
        last.register_forward_hook(lambda m, i, o: setattr(s, "_h", i[0]))
    def forward(s, x):
        logit = s.inner(x); return logit, s.q(s._h)

g, d = G(), D()
print(d.inner)
ema = copy.deepcopy(g)
og = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
od = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
N, B = len(x), 64
t0 = time.time()
for step in range(1, steps + 1):
    real = x[torch.randint(0, N, (B,))]
    z = torch.randn(B, 100); c = z[:, :K].argmax(1)
    fake = g(z)
    lr_, _ = d(real); lf, qf = d(fake.detach())
    loss_d = bce(lr_, torch.ones_like(lr_)) + bce(lf, torch.zeros_like(lf)) + lam * F.cross_entropy(qf, c)
    od.zero_grad(); loss_d.backward(); od.step()
    lf, qf = d(fake)
    loss_g = bce(lf, torch.ones_like(lf)) + lam * F.cross_entropy(qf, c)
    og.zero_grad(); loss_g.backward(); og.step()
    with torch.no_grad():
        dec = min(0.999, (1 + step) / (10 + step))
        for pe, pg in zip(ema.parameters(), g.parameters()): pe.mul_(dec).add_(pg, alpha=1 - dec)
    if step % 1000 == 0:
        G_eval = copy.deepcopy(ema); recalibrate_batchnorm(G_eval); G_eval.eval()
        m = evaluate(G_eval, n=5000, framework="torch")["model"]
        acc = None
        print(json.dumps(dict(K=K, lam=lam, step=step, seconds=round(time.time() - t0), score=m["classifier_score"][0], fd=m["fd"], P=m["precision"], R=m["recall"], classes=m["classes"], rkl=m["reverse_kl"], qloss=float(F.cross_entropy(qf, c)))), flush=True)
        torch.save({"ema": ema.state_dict()}, f"experiments/results/mnist_dcgan_probes/infogan-{K}-{lam}.pt")
