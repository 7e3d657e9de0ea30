"""Plots on NumPy arrays (framework-free: NumPy, matplotlib, Pillow). Image files are PNG/GIF.

Conventions:

- Images are float in [-1, 1] (the tanh range), channels-last (N, H, W, C) with
  C = 1 (gray) or 3 (RGB), or (N, H, W), or flat square (N, H*W) such as MNIST's
  (N, 784). Toy samples are points (N, 2) (or (N, 1) in 1-D).
- Every figure function returns a ``matplotlib.figure.Figure``. Given ``ax=``, it
  draws into that axes and returns its figure. Otherwise it makes a new figure
  with pyplot (so the notebook backend can render it) and closes it at once: pyplot
  forgets it, so it is neither shown twice at the end of a notebook cell nor kept
  alive in a loop. End a cell with the call (or ``fig``) to show it once, or
  ``display(fig)``; in a script use ``save_figure(fig, path)`` (``fig.show()`` does
  not work on closed figures).
- Drawing is deterministic: the same input gives the same PNG bytes (``save_figure``
  also leaves out the varying PNG metadata). A new figure is laid out once
  (constrained layout) and then frozen; after resizing one,
  ``fig.set_layout_engine("constrained")`` lays it out again.
- File writers (``save_figure``, ``save_grid``, ``save_samples``, ``training_gif``)
  write a temporary file in the target folder and rename it, so readers never see
  half a file. They never touch pyplot or the matplotlib backend (safe in the CLI
  and on servers).

Modules: ``images`` (grids), ``training`` (curves, class histogram), ``toy`` (toy
distributions), ``challenges`` (the challenges chapter), ``animation`` (snapshots,
GIF), ``samples`` (the CLI's writer); every function is re-exported here.
"""
from ganbook.plot._common import PNG_METADATA
from ganbook.plot.animation import training_gif, training_snapshots
from ganbook.plot.challenges import gradient_norms, parameter_paths, sample_size_curves, toy_comparison
from ganbook.plot.images import image_grid, image_rows, interpolation_strip, save_figure, save_grid, show_images
from ganbook.plot.samples import save_samples
from ganbook.plot.toy import densities_1d, discriminator_surface, toy_samples
from ganbook.plot.training import class_histogram, training_curves

__all__ = [
    "PNG_METADATA",
    # images
    "image_grid", "show_images", "image_rows", "interpolation_strip", "save_grid", "save_figure",
    # training
    "training_curves", "class_histogram",
    # toy distributions
    "toy_samples", "discriminator_surface", "densities_1d",
    # challenges
    "toy_comparison", "parameter_paths", "gradient_norms", "sample_size_curves",
    # animation
    "training_snapshots", "training_gif",
    # CLI
    "save_samples",
]
