"""Samples across training: a row of image grids from evenly spaced snapshots, and a
looping GIF with one frame per snapshot (image grids, or toy scatters / histograms
drawn without pyplot on fixed limits)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ganbook.plot._common import (_atomic_write, _figure, _finish, _imshow, _points, _set_square,
                                  _square_limits, _toy_limits)
from ganbook.plot.images import image_grid


def training_snapshots(snapshots, count: int = 4, ncols: int | None = None):
    """A row of image grids from `count` snapshots evenly spaced over training,
    first and last included, each titled with its step.

    snapshots: list of (step, images) as ``trainer.samples`` (images in [-1, 1],
    shapes as image_grid).
    """
    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("snapshots is empty: train with sample_every > 0 to collect them")
    if not isinstance(count, (int, np.integer)) or count < 1:
        raise ValueError(f"count must be a positive integer, got {count!r}")
    picks = _evenly_spaced(len(snapshots), count)
    fig = _figure((3.2 * len(picks), 3.6))
    for ax, i in zip(np.atleast_1d(fig.subplots(1, len(picks))), picks):
        step, images = snapshots[i]
        _imshow(ax, image_grid(images, ncols))
        ax.set_title(f"step {step}")
    return _finish(fig, True)


def _evenly_spaced(n: int, count: int) -> list[int]:
    """Indices of `count` of n items evenly spaced, first and last included (all if n <= count)."""
    return sorted(set(np.linspace(0, n - 1, min(n, count)).round().astype(int)))


def training_gif(snapshots, path, scale: int = 2, duration_ms: int = 200, ncols: int | None = None,
                 centers=None, max_frames: int | None = None) -> Path:
    """Animated GIF (looping) of fixed-noise samples across training; one frame per snapshot.

    snapshots: list of (step, samples), e.g. ``trainer.samples``. Samples are images
        in [-1, 1] (shapes as image_grid: each frame is the grid scaled `scale` times,
        nearest pixel, under a band reading "step N"), or toy points (N, 2) / (N, 1)
        (a scatter / histogram per frame, titled "step N", with the same limits in
        every frame: from `centers` (k, d) if given, drawn as red crosses, else from
        the 1st-99th percentiles of all snapshots). All frames must have one size.
    max_frames: at most this many frames, from snapshots evenly spaced over training
        (first and last included); None: every snapshot. Fewer frames, a smaller file.
    Writes `path` (.gif) atomically and returns it as a Path.
    """
    from PIL import Image

    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("snapshots is empty: train with sample_every > 0 to collect them")
    limits = (("scale", scale), ("duration_ms", duration_ms)) + ((("max_frames", max_frames),)
                                                                 if max_frames is not None else ())
    for name, v in limits:
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if max_frames:
        snapshots = [snapshots[i] for i in _evenly_spaced(len(snapshots), max_frames)]
    frames = _frames(snapshots, scale, ncols, centers)
    frames = [f if f.mode == "L" else f.convert("P", palette=Image.Palette.ADAPTIVE) for f in frames]

    def write(fh):
        frames[0].save(fh, format="GIF", save_all=True, append_images=frames[1:],
                       duration=duration_ms, loop=0)

    return _atomic_write(path, write, ".gif")


def _frames(snapshots, scale, ncols, centers):
    """One PIL frame per snapshot: toy frames if the first snapshot holds points, else
    image frames; all of one size."""
    first = np.asarray(snapshots[0][1])
    if first.ndim == 2 and first.shape[1] in (1, 2):
        c = None if centers is None else _points(centers, "centers", (1, 2))
        frames = _toy_frames(snapshots, scale, c)
    else:
        frames = [_image_frame(x, step, ncols, scale) for step, x in snapshots]
    sizes = {f.size for f in frames}
    if len(sizes) != 1:
        raise ValueError(f"snapshots give frames of different sizes {sorted(sizes)}; "
                         "use the same number and shape of samples in each")
    return frames


# ---------------------------------------------------------------- image frames

def _label_band(width: int, text: str, mode: str, scale: int):
    """A white band `width` pixels wide with `text` in black, for above a frame."""
    from PIL import Image, ImageDraw, ImageFont

    try:
        font = ImageFont.load_default(size=10 * scale)
    except TypeError:  # Pillow < 10.1: the fixed bitmap font
        font = ImageFont.load_default()
    height = 10 * scale + 6
    band = Image.new(mode, (width, height), "white")
    ImageDraw.Draw(band).text((3, 2), text, fill="black", font=font)
    return band


def _image_frame(images, step, ncols, scale):
    """The image grid scaled `scale` times (nearest pixel) under a "step N" band."""
    from PIL import Image

    grid = image_grid(images, ncols)[..., :3]
    grid = np.repeat(np.repeat(grid, scale, 0), scale, 1)
    mode = "L" if grid.shape[-1] == 1 else "RGB"
    body = Image.fromarray(grid[..., 0] if mode == "L" else grid, mode)
    band = _label_band(body.width, f"step {step}", mode, scale)
    frame = Image.new(mode, (body.width, band.height + body.height))
    frame.paste(band, (0, 0))
    frame.paste(body, (0, band.height))
    return frame


# ---------------------------------------------------------------- toy frames

def _toy_frame(points, step, lo, hi, centers, scale, hist=None):
    """Render one scatter (2-D) or histogram (1-D) frame without pyplot -> PIL RGB image."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    fig = Figure(figsize=(3.2, 3.2), dpi=50 * scale, layout="constrained")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if hist is None:
        ax.scatter(points[:, 0], points[:, 1], s=3, alpha=0.5, lw=0, color="C0")
        if centers is not None:
            ax.scatter(centers[:, 0], centers[:, 1], marker="x", s=30, color="red")
        _set_square(ax, lo, hi)
    else:
        edges, ymax = hist
        ax.stairs(np.histogram(points[:, 0], edges, density=True)[0], edges, fill=True, alpha=0.6)
        if centers is not None:
            ax.plot(centers[:, 0], np.zeros(len(centers)), "x", color="red", ms=6, clip_on=False)
        ax.set(xlim=(lo, hi), ylim=(0, ymax), xlabel="$x$", ylabel="density")
    ax.set_title(f"step {step}")
    canvas.draw()
    return Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy())


def _toy_frames(snapshots, scale, centers):
    """Toy frames on the same limits (and, in 1-D, the same bins and y range)."""
    pts = [_points(x, f"snapshot {i} samples", (1, 2)) for i, (_, x) in enumerate(snapshots)]
    dims = {p.shape[1] for p in pts}
    if len(dims) != 1 or (centers is not None and centers.shape[1] not in dims):
        raise ValueError(f"snapshots (and centers) mix dimensions {sorted(dims)}; use one")
    if centers is not None:
        lo, hi = _toy_limits(centers)
    else:
        every = np.concatenate(pts)
        lo, hi = _square_limits(np.percentile(every, 1, 0), np.percentile(every, 99, 0), 0.15)
    hist = None
    if dims == {1}:
        edges = np.linspace(lo, hi, 61)
        ymax = max(np.histogram(p[:, 0], edges, density=True)[0].max() for p in pts) * 1.05 or 1.0
        hist = (edges, ymax)
    return [_toy_frame(p, step, lo, hi, centers, scale, hist) for p, (step, _) in zip(pts, snapshots)]
