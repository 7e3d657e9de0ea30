"""Evaluation: metrics on arrays (metrics), the MNIST classifier's spec (classifier)
and `evaluate`, which scores a generator beside the real-data reference (evaluation)."""
