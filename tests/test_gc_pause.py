"""The run pauses Python's cyclic collector and must hand it back as it found it, even when it fails."""

from __future__ import annotations

import gc

import pytest

from tonghop.gc_pause import collect_garbage, collector_paused, keep_round


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


def test_the_cycles_of_a_run_are_collected_when_it_ends() -> None:
    """A served process runs night after night; a run's garbage must not wait for a later full pass."""
    gc.collect()
    with collector_paused():
        garbage = _Cycle()
        del garbage
        assert sum(isinstance(o, _Cycle) for o in gc.get_objects()) == 1
    assert sum(isinstance(o, _Cycle) for o in gc.get_objects()) == 0
