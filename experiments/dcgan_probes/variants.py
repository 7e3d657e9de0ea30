import sys, torch, numpy as np, ganbook
from ganbook import evaluate
from ganbook.config import TrainConfig
torch.set_num_threads(1)
gb = ganbook.backend("torch")
ck = sys.argv[1]
state = torch.load(ck, map_location="cpu", weights_only=False)
cfg = TrainConfig.from_dict(state["config"])
def score(G, tag):
    m = evaluate(G, n=5000, framework="torch")["model"]
    print(tag, f"{m['classifier_score'][0]:.3f} fd {m['fd']:.1f} P {m['precision']:.3f} R {m['recall']:.3f}", flush=True)
G, _ = gb.build_models(cfg); G.load_state_dict(state["G_ema"]); G.eval(); score(G, "ema")
G2, _ = gb.build_models(cfg); G2.load_state_dict(state["G"]); G2.eval(); score(G2, "raw eval")
gb.recalibrate_batchnorm(G2, n=5000); G2.eval(); score(G2, "raw recal")
class Trunc(torch.nn.Module):
    def __init__(s, G, t): super().__init__(); s.G, s.t, s.latent_dim = G, t, G.latent_dim
    def forward(s, z): return s.G(z * s.t)
score(Trunc(G, 0.8).eval(), "ema z*0.8")
