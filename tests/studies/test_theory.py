"""ganbook.studies.theory: the chapter-2 quantities by quadrature, against closed forms."""
import numpy as np
import pytest
from scipy import stats

from ganbook.studies import theory


def test_identical_distributions_are_at_the_optimum():
    p = stats.norm(2, 0.5)
    assert theory.jsd(p, p) == pytest.approx(0, abs=1e-10)
    assert theory.value_at_optimum(p, p) == pytest.approx(-np.log(4), abs=1e-10)
    np.testing.assert_allclose(theory.d_star(np.linspace(0, 4, 9), p, p), 0.5)


def test_value_at_optimum_is_minus_log4_plus_twice_jsd():
    p, q = stats.norm(2, 0.5), stats.norm(0, 1)
    assert theory.value_at_optimum(p, q) == pytest.approx(-np.log(4) + 2 * theory.jsd(p, q), abs=1e-8)


def test_disjoint_distributions_reach_log2():
    p, q = stats.norm(-50, 1), stats.norm(50, 1)
    assert theory.jsd(p, q) == pytest.approx(np.log(2), abs=1e-6)
    assert theory.d_star(-50.0, p, q) == pytest.approx(1.0)
