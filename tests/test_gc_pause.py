"""The run pauses Python's cyclic collector and must hand it back as it found it, even when it fails."""

from __future__ import annotations

import gc

import pytest

from flows.runtime.gc_pause import LEFT_BEHIND_WORTH_A_PASS, collect_garbage, collector_paused, keep_round


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_collector_is_paused_inside_and_restored_after_a_failure() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        keep_round()
        assert gc.get_freeze_count() > 0
        raise RuntimeError("một lỗi giữa chừng")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_garbage_made_after_keep_round_is_collected_and_the_kept_round_is_not() -> None:
    kept = [_Cycle() for _ in range(3)]
    with collector_paused():
        keep_round()
        garbage = _Cycle()
        del garbage
        before = sum(isinstance(o, _Cycle) for o in gc.get_objects())
        collect_garbage()
        after = sum(isinstance(o, _Cycle) for o in gc.get_objects())
    assert before - after == 1
    assert all(k.me is k for k in kept)


def _cycles() -> int:
    return sum(isinstance(o, _Cycle) for o in gc.get_objects())


def test_a_run_that_leaves_many_cycles_has_them_collected_when_it_ends() -> None:
    """A served process runs night after night: a first run's parsed batches must not wait for later."""
    gc.collect()
    with collector_paused():
        garbage = [_Cycle() for _ in range(2 * LEFT_BEHIND_WORTH_A_PASS)]
        del garbage
        assert _cycles() == 2 * LEFT_BEHIND_WORTH_A_PASS
    assert _cycles() == 0


def test_a_run_that_leaves_a_few_cycles_leaves_them_to_the_collector() -> None:
    """A re-run after 10 new files leaves ~2,600 objects: not worth a pass over the whole heap (0.25 s)."""
    gc.collect()
    with collector_paused():
        garbage = [_Cycle() for _ in range(100)]
        del garbage
    assert gc.isenabled()
    assert _cycles() == 100
    gc.collect()
    assert _cycles() == 0
