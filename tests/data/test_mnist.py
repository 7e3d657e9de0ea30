"""ganbook.data.load_mnist: the real offline splits, both file forms, IDX parsing, checksums, mirrors."""
import functools
import gzip
import http.server
import shutil
import threading

import numpy as np
import pytest

from ganbook.data import (ChecksumError, IDXFormatError, MnistNotFoundError,
                          load_mnist, read_idx, write_idx)
from ganbook.data import mnist as mnist_mod
from ganbook.data.idx import IMAGES_MAGIC, LABELS_MAGIC

TEST_FILES = ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]  # MNIST's published ones


def uncompressed_test_split(data_root, folder):
    """Write the test split's two files uncompressed into folder."""
    for name in TEST_FILES:
        with gzip.open(data_root / "mnist" / name, "rb") as f:
            (folder / name[:-3]).write_bytes(f.read())


def test_real_test_split(data_root):
    images, labels = load_mnist("test", root=data_root)
    assert images.shape == (10_000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10_000,) and labels.dtype == np.int64
    counts = np.bincount(labels, minlength=10).tolist()
    assert counts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert images.max() == 255 and images.min() == 0


def test_real_training_split_offline(data_root):
    images, labels = load_mnist("train", root=data_root)  # uncompressed IDX files there
    assert images.shape == (60_000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels, minlength=10).tolist() == TRAIN_COUNTS
    assert images.max() == 255 and images.min() == 0


def test_all_is_train_then_test(data_root):
    images, labels = load_mnist("all", root=data_root)
    assert images.shape == (70_000, 28, 28)
    assert np.array_equal(labels[60_000:], load_mnist("test", root=data_root)[1])


def test_uncompressed_files_read_as_the_gzipped_ones(data_root, tmp_path):
    uncompressed_test_split(data_root, tmp_path)
    images, labels = load_mnist("test", root=tmp_path)
    gz_images, gz_labels = load_mnist("test", root=data_root)
    assert np.array_equal(images, gz_images) and np.array_equal(labels, gz_labels)


def test_a_good_copy_in_either_form_is_used_beside_a_bad_one(data_root, tmp_path):
    uncompressed_test_split(data_root, tmp_path)
    for name in TEST_FILES:
        shutil.copy(data_root / "mnist" / name, tmp_path / name)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(b"garbage")
    assert len(load_mnist("test", root=tmp_path)[1]) == 10_000


def test_env_variable_points_at_local_copy(data_root, monkeypatch):
    monkeypatch.setenv("GANBOOK_DATA", str(data_root))
    images, _ = load_mnist("test")
    assert len(images) == 10_000


def test_files_directly_in_root(data_root, tmp_path):
    for name in TEST_FILES:
        shutil.copy(data_root / "mnist" / name, tmp_path / name)
    assert len(load_mnist("test", root=tmp_path)[1]) == 10_000


def test_bad_split_name():
    with pytest.raises(ValueError, match=r"split must be one of \('train', 'test', 'all'\), got 'val'"):
        load_mnist("val")


@pytest.mark.parametrize("split", ["train", "all"])
def test_missing_split_offline(data_root, tmp_path, split):
    for name in TEST_FILES:
        shutil.copy(data_root / "mnist" / name, tmp_path / name)
    with pytest.raises(MnistNotFoundError) as err:
        load_mnist(split, root=tmp_path)
    msg = str(err.value)
    assert "missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz (gzipped or uncompressed)" in msg
    assert f"Looked in: {tmp_path / 'mnist'}, {tmp_path}" in msg
    assert "pass root=DIR (or set GANBOOK_DATA=DIR)" in msg


def _gzipped_test_split(data_root, folder):
    for name in TEST_FILES:
        shutil.copy(data_root / "mnist" / name, folder / name)


@pytest.mark.parametrize("copy, name, md5, form", [
    (_gzipped_test_split, TEST_FILES[0], "9fb629c4189551a2d022fa330f9573f3", "gzipped"),
    (uncompressed_test_split, "t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea", "uncompressed"),
])
def test_a_corrupted_file_is_named_and_checked_against_its_own_form(data_root, tmp_path, copy, name, md5, form):
    copy(data_root, tmp_path)
    bad = tmp_path / name
    raw = bytearray(bad.read_bytes())
    raw[1000] ^= 0xFF
    bad.write_bytes(bytes(raw))
    with pytest.raises(ChecksumError, match=rf"{bad} is corrupted or truncated: MD5 [0-9a-f]{{32}}, "
                       rf"expected {md5} for the {form} form"):
        load_mnist("test", root=tmp_path)


def test_truncated_local_file_is_named(data_root, tmp_path):
    for name in TEST_FILES:
        shutil.copy(data_root / "mnist" / name, tmp_path / name)
    bad = tmp_path / TEST_FILES[1]
    bad.write_bytes(bad.read_bytes()[:1000])
    with pytest.raises(ChecksumError, match=rf"{bad} is corrupted or truncated.*1000 bytes, expected 4542"):
        load_mnist("test", root=tmp_path)


# --- IDX parsing on small files the tests write themselves ---

def test_idx_roundtrip(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    write_idx(tmp_path / "x.gz", images, IMAGES_MAGIC)
    write_idx(tmp_path / "y.gz", np.arange(5, dtype=np.uint8), LABELS_MAGIC)
    np.testing.assert_array_equal(read_idx(tmp_path / "x.gz", IMAGES_MAGIC), images)
    np.testing.assert_array_equal(read_idx(tmp_path / "y.gz", LABELS_MAGIC), np.arange(5))


def test_idx_wrong_magic(tmp_path):
    write_idx(tmp_path / "y.gz", np.arange(5, dtype=np.uint8), LABELS_MAGIC)
    with pytest.raises(IDXFormatError, match=r"y.gz: magic number 2049 \(0x00000801\), expected 2051"):
        read_idx(tmp_path / "y.gz", IMAGES_MAGIC)


def test_idx_truncated_data(tmp_path):
    import gzip
    write_idx(tmp_path / "x.gz", np.zeros((5, 28, 28), np.uint8), IMAGES_MAGIC)
    raw = gzip.decompress((tmp_path / "x.gz").read_bytes())
    with gzip.open(tmp_path / "x.gz", "wb") as f:
        f.write(raw[:-100])
    with pytest.raises(IDXFormatError, match=r"x.gz: 3836 bytes, but the header \(5, 28, 28\) implies 3936"):
        read_idx(tmp_path / "x.gz", IMAGES_MAGIC)


def test_idx_truncated_gzip_stream(tmp_path):
    write_idx(tmp_path / "x.gz", np.arange(5000, dtype=np.uint8).reshape(-1) % 7, LABELS_MAGIC)
    (tmp_path / "x.gz").write_bytes((tmp_path / "x.gz").read_bytes()[:30])
    with pytest.raises(IDXFormatError, match=r"x.gz is not a complete gzip file"):
        read_idx(tmp_path / "x.gz", LABELS_MAGIC)


# --- downloading through mirrors (served from loopback) ---

@pytest.fixture
def mirror(data_root, tmp_path):
    """A local HTTP mirror serving the offline test files; yields (url, folder)."""
    folder = tmp_path / "served"
    folder.mkdir()
    for name in TEST_FILES:
        shutil.copy(data_root / "mnist" / name, folder / name)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    server.shutdown()


def _unreachable():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return f"http://127.0.0.1:{port}/"


def test_download_falls_back_to_second_mirror_and_caches(mirror, tmp_path, monkeypatch):
    url, _ = mirror
    monkeypatch.delenv("GANBOOK_DATA", raising=False)
    monkeypatch.setenv("GANBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(mnist_mod, "MIRRORS", [_unreachable(), url])
    images, labels = load_mnist("test")
    assert images.shape == (10_000, 28, 28)
    assert (tmp_path / "cache" / "mnist" / TEST_FILES[0]).exists()
    # Second call: served from the cache, no mirror needed.
    monkeypatch.setattr(mnist_mod, "MIRRORS", [_unreachable()])
    np.testing.assert_array_equal(load_mnist("test")[1], labels)


def test_mirror_serving_corrupted_file_is_rejected(mirror, tmp_path, monkeypatch):
    url, folder = mirror
    (folder / TEST_FILES[1]).write_bytes(b"not the labels")
    monkeypatch.delenv("GANBOOK_DATA", raising=False)
    monkeypatch.setenv("GANBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(mnist_mod, "MIRRORS", [url])
    with pytest.raises(MnistNotFoundError, match=r"could not get t10k-labels-idx1-ubyte.gz.*ValueError: MD5 hash of downloaded file"):
        load_mnist("test")
    assert not (tmp_path / "cache" / "mnist" / TEST_FILES[1]).exists()


def test_corrupted_cache_offline_is_reported(data_root, tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "mnist"
    cache.mkdir(parents=True)
    for name in TEST_FILES:
        shutil.copy(data_root / "mnist" / name, cache / name)
    (cache / TEST_FILES[0]).write_bytes(b"\x1f\x8b garbage")
    monkeypatch.delenv("GANBOOK_DATA", raising=False)
    monkeypatch.setenv("GANBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(mnist_mod, "MIRRORS", [_unreachable()])
    with pytest.raises(MnistNotFoundError) as err:
        load_mnist("test")
    msg = str(err.value)
    assert f"cached copy {cache / TEST_FILES[0]} is corrupted (wrong MD5) and was not used" in msg
    assert f"Looked in the cache {cache}" in msg and "tried every mirror" in msg


def test_an_uncompressed_copy_in_the_cache_is_used_without_downloading(data_root, tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "mnist"
    cache.mkdir(parents=True)
    uncompressed_test_split(data_root, cache)
    monkeypatch.delenv("GANBOOK_DATA", raising=False)
    monkeypatch.setenv("GANBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(mnist_mod, "MIRRORS", [_unreachable()])
    assert len(load_mnist("test")[1]) == 10_000
