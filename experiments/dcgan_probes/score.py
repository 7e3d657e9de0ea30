"""Scratch: score every checkpoint of a run folder with ganbook.evaluate (n=10,000)."""
import json, sys, os
from pathlib import Path
import ganbook
from ganbook import evaluate
fw, folder = sys.argv[1], Path(sys.argv[2])
n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
gb = ganbook.backend(fw)
if fw == "torch":
    import torch; torch.set_num_threads(1)
out = folder / "scores.json"
scores = json.loads(out.read_text()) if out.exists() else {}
for ck in sorted(folder.glob("ckpt-*")):
    if ck.name in scores: continue
    G = gb.load_generator(ck)
    r = evaluate(G, n=n, framework=fw)
    m = r["model"]
    scores[ck.name] = {k: m[k] for k in ("classifier_score", "fd", "precision", "recall", "classes", "reverse_kl")}
    print(ck.name, f"score {m['classifier_score'][0]:.3f} fd {m['fd']:.2f} P {m['precision']:.3f} R {m['recall']:.3f} classes {m['classes']}", flush=True)
    out.write_text(json.dumps(scores, indent=1))
