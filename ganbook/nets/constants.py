"""Constants of the book's networks, the same in both backends."""

SLOPE = 0.2  # LeakyReLU negative slope, as in the DCGAN paper
EMBED_STD = 0.02  # the projection discriminator's label embedding starts small
BN_EPS = 1e-5  # BatchNorm's epsilon (Keras's default is 1e-3; PyTorch's is used in both)


def check_image_size(image_size: int) -> None:
    """The DCGAN upsamples twice by 2: its images' side must be a multiple of 4."""
    if image_size % 4:
        raise ValueError(f"image_size must be a multiple of 4 (28, 32, 64), got {image_size}")


def check_widths(widths, count: int, name: str = "widths") -> tuple[int, ...]:
    """widths as a tuple of `count` positive ints (channels per layer), or a ValueError."""
    widths = tuple(widths)
    if len(widths) != count or not all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths):
        raise ValueError(f"{name} must be {count} positive integers (channels per layer), got {widths!r}")
    return widths
