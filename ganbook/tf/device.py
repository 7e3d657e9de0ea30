"""Device choice: TensorFlow places work on the first GPU it sees, else the CPU."""
from __future__ import annotations

import tensorflow as tf


def pick_device(name: str | None = None) -> str:
    """The device to train on: `name` if given ("/CPU:0", "/GPU:1"), else "/GPU:0" or "/CPU:0"."""
    if name is not None:
        return name
    return "/GPU:0" if tf.config.list_physical_devices("GPU") else "/CPU:0"


def describe_device(device: str | None = None) -> str:
    """A one-line description, e.g. '/GPU:0 (NVIDIA H200)' or '/CPU:0 (2 threads)'."""
    device = pick_device(device)
    if "GPU" in device.upper():
        gpus = tf.config.list_physical_devices("GPU")
        index = int(device.rsplit(":", 1)[-1]) if ":" in device else 0
        details = tf.config.experimental.get_device_details(gpus[index]) if gpus else {}
        return f"{device} ({details.get('device_name', 'GPU')})"
    import os
    threads = (tf.config.threading.get_intra_op_parallelism_threads()  # set through the API,
               or int(os.environ.get("TF_NUM_INTRAOP_THREADS") or 0)  # or the environment,
               or os.cpu_count())  # else TF uses every core
    return f"{device} ({threads} thread{'s' if threads != 1 else ''})"
