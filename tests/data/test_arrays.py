"""ganbook.data.arrays.map_batches: a function run over arrays in chunks."""
import numpy as np
import pytest

from ganbook.data.arrays import map_batches


def test_chunks_cover_the_rows_in_order():
    x, y = np.arange(10.0)[:, None], np.arange(10)
    sizes = []

    def fn(xb, yb):
        sizes.append(len(xb))
        return xb[:, 0] * 10 + yb

    np.testing.assert_array_equal(map_batches(fn, x, y, batch_size=4), np.arange(10) * 11.0)
    assert sizes == [4, 4, 2]


def test_tuple_results_are_joined_element_by_element():
    a, b = map_batches(lambda xb: (xb * 2, xb[:, None]), np.arange(5), batch_size=2)
    np.testing.assert_array_equal(a, np.arange(5) * 2)
    assert b.shape == (5, 1)


@pytest.mark.parametrize("arrays, batch_size, match", [
    ((np.zeros(3), np.zeros(4)), 2, "same length"),
    ((np.zeros(3),), 0, "batch_size must be a positive integer"),
    ((np.zeros(3),), True, "batch_size must be a positive integer"),
    ((np.zeros((0, 2)),), 2, "no rows"),
])
def test_bad_input(arrays, batch_size, match):
    with pytest.raises(ValueError, match=match):
        map_batches(lambda *chunks: chunks[0], *arrays, batch_size=batch_size)
