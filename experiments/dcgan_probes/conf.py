import sys, torch, numpy as np, ganbook
from ganbook.config import TrainConfig
from ganbook.eval.classifier import real_digits
torch.set_num_threads(1)
gb = ganbook.backend("torch")
state = torch.load(sys.argv[1], map_location="cpu", weights_only=False)
G, _ = gb.build_models(TrainConfig.from_dict(state["config"])); G.load_state_dict(state["G_ema"]); G.eval()
clf = gb.load_classifier()
x = gb.sample(G, 5000, seed=0)
logits, _ = gb.classify(clf, x)
p = torch.softmax(torch.as_tensor(logits), 1).numpy()
from ganbook.data import scale
xr = real_digits(5000); xr = scale(xr[0] if isinstance(xr, tuple) else xr)[..., None] if (xr[0] if isinstance(xr, tuple) else xr).ndim == 3 else scale(xr[0] if isinstance(xr, tuple) else xr)
lr_, _ = gb.classify(clf, xr)
pr = torch.softmax(torch.as_tensor(lr_), 1).numpy()
for name, q in (("gen", p), ("real", pr)):
    m = q.max(1); s = np.sort(q, 1)
    H = -(q * np.log(q + 1e-12)).sum(1)
    print(name, "mean H(y|x) %.4f" % H.mean(), "frac max<.5 %.3f <.9 %.3f <.99 %.3f" % ((m < .5).mean(), (m < .9).mean(), (m < .99).mean()),
          "share of H from max<.9: %.2f" % (H[m < .9].sum() / H.sum()))
np.save("experiments/results/mnist_dcgan_probes/conf_p.npy", p); np.save("experiments/results/mnist_dcgan_probes/conf_x.npy", x[:5000])
