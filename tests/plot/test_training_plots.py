"""ganbook.plot training figures: loss and D-output curves of a history, class histogram."""
import numpy as np
import pytest

from ganbook import plot
from tests.plot.plot_inputs import fake_history


def _hlines(ax):
    """{label: y} of the horizontal reference lines of an axes."""
    return {ln.get_label(): ln.get_ydata()[0] for ln in ax.lines
            if len(set(ln.get_ydata())) == 1 and len(ln.get_ydata()) == 2}


def test_training_curves_plot_the_history():
    h = fake_history()
    fig = plot.training_curves(h)
    assert len(fig.axes) == 2
    loss, d = fig.axes
    for ax, keys in ((loss, ("d_loss", "g_loss")), (d, ("d_real", "d_fake"))):
        assert len(ax.lines) >= len(keys)
        for line, key in zip(ax.lines, keys):  # the labelled curves come first
            np.testing.assert_array_equal(line.get_xdata(), h["step"])
            np.testing.assert_array_equal(line.get_ydata(), h[key])
    assert _hlines(d) == {"equilibrium $1/2$": 0.5}
    assert d.get_ylim() == (-0.02, 1.02)
    assert _hlines(loss) == {}


def test_training_curves_loss_equilibrium_lines():
    loss, _ = plot.training_curves(fake_history(), loss_equilibrium=True).axes
    lines = _hlines(loss)
    assert lines.keys() == {"$\\log 4$", "$\\log 2$"}
    np.testing.assert_allclose([lines["$\\log 4$"], lines["$\\log 2$"]], [np.log(4), np.log(2)])


def test_training_curves_scores_and_smoothing():
    h = fake_history()
    loss, d = plot.training_curves(h, probability=False, smooth=3).axes
    assert _hlines(d) == {}  # critic scores: no 1/2 line
    y = np.asarray(h["d_loss"])
    expected = np.array([y[max(0, i - 2): i + 1].mean() for i in range(len(y))])
    np.testing.assert_allclose(loss.lines[0].get_ydata(), expected)
    raw = [ln for ln in loss.lines[2:] if np.array_equal(ln.get_ydata(), y)]
    assert len(raw) == 1 and raw[0].get_alpha() < 1  # the raw curve, faintly behind


@pytest.mark.parametrize("history, match", [
    ({"step": [1], "d_loss": [1.0]}, "lacks"),
    ({**fake_history(3), "g_loss": [1.0]}, "one length"),
    ({k: [] for k in fake_history(1)}, "empty"),
])
def test_training_curves_bad_history(history, match):
    with pytest.raises(ValueError, match=match):
        plot.training_curves(history)


def test_training_curves_bad_smooth():
    with pytest.raises(ValueError, match="smooth"):
        plot.training_curves(fake_history(), smooth=0)


def test_class_histogram_bars_are_fractions_of_each_set():
    report = {"model": {"histogram": [4, 0, 0, 0, 0, 0, 0, 0, 0, 4]}, "real": {"histogram": [1] * 10}}
    fig = plot.class_histogram(report)
    ax = fig.axes[0]
    model_bars, real_bars = ax.containers
    assert [b.get_height() for b in model_bars] == [0.5] + [0.0] * 8 + [0.5]
    assert [b.get_height() for b in real_bars] == [0.1] * 10
    assert ax.lines[0].get_ydata()[0] == pytest.approx(0.1)  # the uniform line
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["uniform", "generated (n=8)", "real digits (n=10)"]


@pytest.mark.parametrize("counts, match", [([0] * 10, "positive total"), ([-1] + [1] * 9, ">= 0"),
                                           (np.ones((2, 10)), "shape")])
def test_class_histogram_bad_counts(counts, match):
    with pytest.raises(ValueError, match=match):
        plot.class_histogram(counts)
