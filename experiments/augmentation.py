"""Do conditional-GAN digits help a classifier that has few labels? Measured over seeds.

    python experiments/augmentation.py [--framework torch|tf] [--per-class 20]
        [--fake-per-class 100] [--gan-steps 4000] [--clf-steps 1500] [--seeds 0,1,2,3,4]
        [--threads 2] [--out experiments/results/augmentation-<framework>.json]

For each seed: draw --per-class labelled digits of each class from
`ganbook.data.registry.training_digits()`; train ganbook's conditional GAN on those
digits alone (no other data, no other labels); then train two classifiers from
scratch for the same number of steps, one on the real digits and one on the
real digits plus --fake-per-class generated digits of each class (labelled with
the class asked for), and measure both on the 10,000 MNIST test digits. The
generated digits' label fidelity (the book's evaluator's accuracy on them) is
recorded too. The JSON file holds every seed, the paired differences and the
mean and standard error over seeds, whatever they show.
"""
from __future__ import annotations

import argparse

import ganbook
from ganbook.book import provenance
from ganbook.studies.augmentation import one_seed, summary
from ganbook.data.mnist import load_mnist
from ganbook.data import scale
from ganbook.data.registry import training_digits


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--framework", choices=("torch", "tf"), default="torch")
    p.add_argument("--per-class", type=int, default=20)
    p.add_argument("--fake-per-class", type=int, default=100)
    p.add_argument("--gan-steps", type=int, default=4000)
    p.add_argument("--clf-steps", type=int, default=1500)
    p.add_argument("--seeds", default="0,1,2,3,4")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default=None, help="default: experiments/results/augmentation-<framework>.json")
    args = p.parse_args(argv)
    args.seeds = [int(s) for s in args.seeds.split(",") if s]
    args.out = args.out or f"experiments/results/augmentation-{args.framework}.json"
    return args


def main(argv=None) -> None:
    from mnist_quality import set_threads  # same folder

    args = parse_args(argv)
    gb = ganbook.backend(args.framework)
    set_threads(args.framework, args.threads)
    images, labels, data = training_digits()
    test_images, test_y = load_mnist("test")
    test_x = scale(test_images)[..., None]
    runs = []
    for seed in args.seeds:
        run = one_seed(gb, images, labels, test_x, test_y, seed, args.per_class, args.fake_per_class,
                       args.gan_steps, args.clf_steps)
        run.pop("generated")
        runs.append(run)
        r = runs[-1]
        print(f"seed {seed}: real only {r['real_only']:.4f}  augmented {r['augmented']:.4f}  "
              f"label fidelity {r['label_fidelity']:.3f}  ({r['total_s']:.0f} s)", flush=True)
        provenance.write_json_atomic(args.out, {
            **provenance.record(), "complete": seed == args.seeds[-1], "framework": args.framework,
            "threads": args.threads, "data": data, "per_class": args.per_class,
            "fake_per_class": args.fake_per_class, "gan_steps": args.gan_steps,
            "clf_steps": args.clf_steps, "test": f"the {len(test_y):,} MNIST test digits",
            "summary": summary(runs), "runs": runs})


if __name__ == "__main__":
    main()
