"""Ids: UUID version 7, ordered by time."""

from __future__ import annotations

import time
import uuid

from app.domain.ids import EMPTY_GUID, is_empty, new_id


def test_new_ids_are_version_7_rfc_variant() -> None:
    for _ in range(1000):
        value = new_id()
        assert value.version == 7
        assert value.variant == uuid.RFC_4122


def test_new_ids_carry_the_time_in_milliseconds() -> None:
    before = time.time_ns() // 1_000_000
    value = new_id()
    after = time.time_ns() // 1_000_000
    assert before <= value.int >> 80 <= after


def test_ids_sort_by_time() -> None:
    earlier = [new_id() for _ in range(50)]
    time.sleep(0.002)
    later = [new_id() for _ in range(50)]
    assert max(earlier) < min(later)
    assert max(str(i) for i in earlier) < min(str(i) for i in later)  # as text too


def test_ids_are_unique() -> None:
    assert len({new_id() for _ in range(10_000)}) == 10_000


def test_empty_guid() -> None:
    assert is_empty(None)
    assert is_empty(EMPTY_GUID)
    assert not is_empty(new_id())
