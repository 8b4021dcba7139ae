"""The garbage collector paused around a bulk computation
(tools/collector.py)."""

import gc

import pytest

from conftest import load_pure_module

collector = load_pure_module("crm_bsc_scorecard", "tools/collector.py")


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_and_back_on_after():
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_error():
    with pytest.raises(ZeroDivisionError), collector.paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()


def test_an_inner_block_leaves_it_to_the_outer_one():
    with collector.paused():
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_left_off_when_it_was_off():
    gc.disable()
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
