"""Training throughput: ganbook's Trainer against a plain hand-written loop, same model.

    python benchmarks/throughput.py [--steps 30] [--batch-size 256] [--repeats 3] [--json FILE]

For each framework, each MNIST model (mlp, dcgan) and each update rule, the
two loops run alternately in one process (A B A B ...) so that machine-speed
swings hit both; the table gives images per second (median over repeats) and
the median over repeats of the ratio ganbook / plain, each repeat timing the two
back to back (plain first in even repeats, ganbook first in odd ones). The plain loops are written by hand on ganbook's own
networks: "alternating" follows pytorch/examples' DCGAN loop, "simultaneous"
the TensorFlow DCGAN tutorial's tf.function step (one forward pass, both
updates). ganbook's default is alternating; `TrainConfig(update=...)` picks.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

import ganbook
from ganbook.config import TrainConfig


def fake_data(config, n=4096):
    """Random data of MNIST's shape in [-1, 1]: throughput does not depend on content."""
    from ganbook.data.registry import sample_shape
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (n,) + sample_shape(config)).astype(np.float32)


# ---- plain loops ---------------------------------------------------------
# One per framework and update rule; each returns step(i), one G step on batch i.

def plain_torch(config, x, device="cpu"):
    """alternating: the pytorch/examples DCGAN loop (BCEWithLogits, the D step's fakes
    reused for the G step); simultaneous: one forward, both gradients, both updates.
    As there, the data stay in host memory and each batch is copied to `device`.
    step(i) returns the (D loss, G loss) tensors, not synchronised."""
    import torch

    from ganbook.torch import build_models, to_native
    torch.manual_seed(0)
    G, D = (m.to(device) for m in build_models(config))
    opt_g = torch.optim.Adam(G.parameters(), lr=config.lr_g, betas=config.betas)
    opt_d = torch.optim.Adam(D.parameters(), lr=config.lr_d, betas=config.betas)
    bce = torch.nn.BCEWithLogitsLoss()
    data = torch.from_numpy(to_native(x))
    b = config.batch_size
    ones, zeros = torch.ones(b, 1, device=device), torch.zeros(b, 1, device=device)

    def alternating(i):
        real = data[(i * b) % (len(data) - b):][:b].to(device)
        D.zero_grad()
        err_real = bce(D(real), ones)
        err_real.backward()
        fake = G(torch.randn(b, config.latent_dim, device=device))
        err_fake = bce(D(fake.detach()), zeros)
        err_fake.backward()
        opt_d.step()
        G.zero_grad()
        err_g = bce(D(fake), ones)
        err_g.backward()
        opt_g.step()
        return (err_real + err_fake).detach(), err_g.detach()

    def simultaneous(i):
        real = data[(i * b) % (len(data) - b):][:b].to(device)
        fake = G(torch.randn(b, config.latent_dim, device=device))
        real_out, fake_out = D(real), D(fake)
        d_loss = bce(real_out, ones) + bce(fake_out, zeros)
        g_loss = bce(fake_out, ones)
        d_grads = torch.autograd.grad(d_loss, list(D.parameters()), retain_graph=True)
        g_grads = torch.autograd.grad(g_loss, list(G.parameters()))
        for model, grads, opt in ((D, d_grads, opt_d), (G, g_grads, opt_g)):
            for p, g in zip(model.parameters(), grads):
                p.grad = g
            opt.step()
        return d_loss.detach(), g_loss.detach()
    return alternating if config.update == "alternating" else simultaneous


def plain_tf(config, x, device=None):
    """simultaneous: the TensorFlow DCGAN tutorial's train_step (one tf.function, two
    tapes); alternating: the same style with a D step, then a G step on the updated D.
    TensorFlow places the work on a GPU when there is one (`device` is unused).
    step(i) returns the (D loss, G loss) tensors."""
    import keras
    import tensorflow as tf

    from ganbook.tf import build_models
    keras.utils.set_random_seed(0)
    G, D = build_models(config)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    opt_g = keras.optimizers.Adam(config.lr_g, beta_1=config.betas[0])
    opt_d = keras.optimizers.Adam(config.lr_d, beta_1=config.betas[0])
    data = tf.constant(x)
    b = config.batch_size

    @tf.function
    def simultaneous(images):
        noise = tf.random.normal([b, config.latent_dim])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated = G(noise, training=True)
            real_output = D(images, training=True)
            fake_output = D(generated, training=True)
            gen_loss = bce(tf.ones_like(fake_output), fake_output)
            disc_loss = bce(tf.ones_like(real_output), real_output) + bce(tf.zeros_like(fake_output), fake_output)
        opt_g.apply_gradients(zip(gen_tape.gradient(gen_loss, G.trainable_variables), G.trainable_variables))
        opt_d.apply_gradients(zip(disc_tape.gradient(disc_loss, D.trainable_variables), D.trainable_variables))
        return disc_loss, gen_loss

    @tf.function
    def alternating(images):
        noise = tf.random.normal([b, config.latent_dim])
        with tf.GradientTape() as gen_tape:
            generated = G(noise, training=True)
        with tf.GradientTape() as disc_tape:
            real_output = D(images, training=True)
            fake_output = D(tf.stop_gradient(generated), training=True)
            disc_loss = bce(tf.ones_like(real_output), real_output) + bce(tf.zeros_like(fake_output), fake_output)
        opt_d.apply_gradients(zip(disc_tape.gradient(disc_loss, D.trainable_variables), D.trainable_variables))
        with gen_tape:
            fake_output = D(generated, training=True)
            gen_loss = bce(tf.ones_like(fake_output), fake_output)
        opt_g.apply_gradients(zip(gen_tape.gradient(gen_loss, G.trainable_variables), G.trainable_variables))
        return disc_loss, gen_loss

    train_step = alternating if config.update == "alternating" else simultaneous

    def step(i):
        start = (i * b) % (len(x) - b)
        return train_step(data[start:start + b])
    return step


def ganbook_loop(framework, config, x):
    """ganbook's Trainer as step(i), one G step on its own batches (the history kept as in fit)."""
    gb = ganbook.backend(framework)
    trainer = gb.Trainer(config.replace(progress=False, log_every=10_000))
    data = trainer._prepare(x, None)
    buffer = []

    def step(i):
        buffer.append(trainer._step(data))
        if len(buffer) == 10:  # synchronise as the Trainer's history does
            trainer._rows(buffer)
            buffer.clear()
    return step


def timed(step, steps, warmup=3):
    for i in range(warmup):
        step(i)
    start = time.perf_counter()
    for i in range(steps):
        step(warmup + i)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--frameworks", default="torch,tf")
    parser.add_argument("--models", default="mlp,dcgan")
    parser.add_argument("--updates", default="alternating,simultaneous")
    parser.add_argument("--json", default=None, help="also write the results here (with command and versions)")
    args = parser.parse_args()
    print(f"# {platform.node()} {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, "
          f"python {platform.python_version()}; batch {args.batch_size}, {args.steps} steps x {args.repeats}")
    print(f"{'framework':9} {'model':6} {'update':12} {'plain img/s':>12} {'ganbook img/s':>14} {'ratio':>6}")
    rows = []
    for fw in args.frameworks.split(","):
        ganbook.backend(fw)  # imported here, before the plain loop's (quiets TensorFlow's log)
        plain = plain_torch if fw == "torch" else plain_tf
        for model in args.models.split(","):
            for update in args.updates.split(","):
                config = TrainConfig(model=model, dataset="mnist", batch_size=args.batch_size, update=update)
                p, g, ratio = compare(plain, fw, config, args)
                rows.append({"framework": fw, "model": model, "update": update,
                             "plain_img_s": round(p, 1), "ganbook_img_s": round(g, 1), "ratio": round(ratio, 3)})
                print(f"{fw:9} {model:6} {update:12} {p:12.0f} {g:14.0f} {ratio:6.2f}", flush=True)
    if args.json:
        write_json(args, rows)


def write_json(args, rows):
    """The results with what produced them: command, hardware, versions (written atomically)."""
    from ganbook.book import provenance
    record = {"command": provenance.command(), "date": time.strftime("%Y-%m-%d"),
              "hardware": f"{platform.machine()}, {os.cpu_count()} cpus (no GPU used)",
              "versions": provenance.versions(("ganbook", "torch", "tensorflow", "numpy")),
              "batch_size": args.batch_size, "steps": args.steps, "repeats": args.repeats, "results": rows}
    provenance.write_json_atomic(args.json, record)


def compare(plain, fw, config, args) -> tuple[float, float, float]:
    """Median images/s of the plain loop and of ganbook's, and the median of the
    per-repeat ratios ganbook / plain. The two are timed back to back, in the
    order plain-ganbook, then ganbook-plain, and so on, so that a machine that
    speeds up or slows down during a repeat favours neither."""
    x = fake_data(config)
    loops = {"plain": plain(config, x), "ganbook": ganbook_loop(fw, config, x)}
    rates = {k: [] for k in loops}
    for r in range(args.repeats):
        for name in (("plain", "ganbook") if r % 2 == 0 else ("ganbook", "plain")):
            rates[name].append(args.steps * args.batch_size / timed(loops[name], args.steps))
    ratios = [g / p for g, p in zip(rates["ganbook"], rates["plain"])]
    return statistics.median(rates["plain"]), statistics.median(rates["ganbook"]), statistics.median(ratios)


if __name__ == "__main__":
    main()
