"""What the networks are, framework-free: each model's typed options and the
arguments they give the backends' constructors (ganbook.torch.models, ganbook.tf.models)."""
