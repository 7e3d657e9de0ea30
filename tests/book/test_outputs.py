"""ganbook.book.outputs: progress bars leave the stored outputs, everything else stays."""
from ganbook.book.outputs import progress_lines, strip_progress

BAR = "\rtrain:  42%|████▏     | 4200/10000 [01:00<01:23, 70.0it/s, d_loss=1.2]"


def _nb(*outputs):
    return {"cells": [{"cell_type": "code", "outputs": list(outputs)},
                      {"cell_type": "markdown", "source": "x"}]}


def _stream(name, text):
    return {"output_type": "stream", "name": name, "text": text}


def test_progress_bars_are_dropped_and_warnings_kept():
    nb = _nb(_stream("stderr", "\rtrain:   0%|          | 0/10000 [00:00<?, ?it/s]"),
             _stream("stdout", "MNIST training split (60,000 digits)\n"),
             _stream("stderr", BAR + "\nUserWarning: something to see\n" + BAR),
             _stream("stderr", ["\rtrain: 100%|██████████| 10000/10000 [02:00<00:00]", "\n"]))
    assert progress_lines(nb) == 4
    assert strip_progress(nb) == 3
    assert progress_lines(nb) == 0
    outputs = nb["cells"][0]["outputs"]
    assert [o["text"] for o in outputs] == ["MNIST training split (60,000 digits)\n",
                                           "UserWarning: something to see\n"]


def test_a_notebook_without_progress_bars_is_unchanged():
    nb = _nb(_stream("stderr", "a warning\n"), {"output_type": "execute_result", "data": {}})
    before = repr(nb)
    assert strip_progress(nb) == 0 and repr(nb) == before
