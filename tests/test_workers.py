"""Work done in a forked process comes back whole, and a process that dies is reported, not waited on.

`targetqa score` reads and checks its reports in a forked process while it loads the comparison
(start-up, issue 11); what that process returns must be what reading here would give.
"""

from __future__ import annotations

import json
import os
import signal

import pytest
from typer.testing import CliRunner

from conftest import seed, seed_path
from targetqa.catalog import select_rules
from targetqa.cli import app
from targetqa.ingest import load
from targetqa.output.findings import report_payload
from targetqa.pipeline import audit
from targetqa.workers import ChildLost, in_child

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform: in_child runs the work here")


def test_a_report_read_in_a_child_is_the_report_read_here() -> None:
    pid, doc = in_child(lambda: (os.getpid(), load(seed_path("003")))).result()
    here = seed("003")
    assert pid != os.getpid()
    assert [(t.title, [(r.level3, r.value, r.unit) for r in t.rows]) for t in doc.tables] == [
        (t.title, [(r.level3, r.value, r.unit) for r in t.rows]) for t in here.tables]


def test_a_child_that_is_killed_is_reported_with_its_signal() -> None:
    pending = in_child(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(ChildLost, match="信号 9"):
        pending.result()


def test_an_error_in_the_child_comes_back_as_its_reason() -> None:
    with pytest.raises(ChildLost, match="ZeroDivisionError"):
        in_child(lambda: 1 / 0).result()


def test_score_reading_in_a_child_finds_what_audit_finds_in_one_process(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = seed_path("001")
    result = CliRunner().invoke(app, ["score", str(path), "--format", "json", "--exit-zero"])
    assert result.exit_code == 0, result.output
    [shown] = json.loads(result.stdout)
    [expected] = audit([load(path)], select_rules())
    assert shown == json.loads(json.dumps(report_payload(expected), ensure_ascii=False, default=str))
    assert shown["findings"]  # a real report with findings, not an empty comparison


def test_a_child_given_answer_answers_after_its_result_until_closed() -> None:
    from targetqa.text import segment

    line = seed("002").lines[100]
    pending = in_child(lambda: os.getpid(), answer=segment.answer)
    pid = pending.result()
    assert pid != os.getpid() and pending.answering
    assert json.loads(pending.ask(line)) == segment.cut(line)
    assert json.loads(pending.ask("")) == []
    pending.close()
    assert not pending.answering
    with pytest.raises(ChildLost):
        pending.ask(line)


def test_a_child_that_dies_while_answering_is_reported() -> None:
    pending = in_child(lambda: os.getpid(), answer=lambda text: "" if text else str(os.kill(os.getpid(), signal.SIGKILL)))
    pending.result()
    assert pending.ask("x") == ""
    with pytest.raises(ChildLost, match="信号 9"):
        pending.ask("")
    assert not pending.answering


def test_a_child_whose_work_fails_does_not_stay_to_answer() -> None:
    pending = in_child(lambda: 1 / 0, answer=str)
    with pytest.raises(ChildLost, match="ZeroDivisionError|除"):
        pending.result()
    assert not pending.answering


def test_the_garbage_of_reading_a_file_goes_though_the_run_collects_none():
    """The command's process runs without the cyclic collector; reading a file (`collecting`)
    turns it on, so a cycle made while reading does not outlive the reading."""
    import gc
    import weakref

    from targetqa.workers import collecting

    class Node:
        pass

    was = gc.isenabled()
    gc.disable()
    try:
        with collecting():
            a, b = Node(), Node()
            a.other, b.other = b, a
            gone = weakref.ref(a)
            del a, b
            load(seed_path("003"))  # a real read, making garbage of its own
        assert gone() is None
        assert not gc.isenabled()  # the run goes on as it was
    finally:
        if was:
            gc.enable()
