import datetime as dt

import pytest

from hanout.sync.schedule import backup_due, last_slot, parse_time

TZ = dt.timezone(dt.timedelta(hours=1))


def local(y, m, d, h, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ)


@pytest.mark.parametrize("text", ["", "off", "OFF", "no", "0", "false", " none "])
def test_off(text):
    assert parse_time(text) is None


def test_parse():
    assert parse_time("03:00") == dt.time(3, 0)
    assert parse_time("23:45") == dt.time(23, 45)
    with pytest.raises(ValueError, match="HH:MM"):
        parse_time("3am")
    with pytest.raises(ValueError, match="HH:MM"):
        parse_time("25:00")


def test_last_slot():
    at = dt.time(3, 0)
    assert last_slot(local(2027, 1, 10, 2, 59), at) == local(2027, 1, 9, 3)
    assert last_slot(local(2027, 1, 10, 3, 0), at) == local(2027, 1, 10, 3)
    assert last_slot(local(2027, 1, 10, 23), at) == local(2027, 1, 10, 3)


def test_due():
    at = dt.time(3, 0)
    now = local(2027, 1, 10, 3, 5)
    assert backup_due(now, None, at)  # never backed up
    assert backup_due(now, local(2027, 1, 9, 3, 1), at)  # yesterday's
    assert not backup_due(now, local(2027, 1, 10, 3, 1), at)  # made this morning
    assert not backup_due(local(2027, 1, 10, 2, 0), local(2027, 1, 9, 3, 1), at)  # not yet 3:00
    assert not backup_due(now, None, None)  # schedule off


def test_a_computer_off_at_night_backs_up_when_switched_on():
    at = dt.time(3, 0)
    newest = local(2027, 1, 8, 9, 0)  # made at 9:00 two days ago (switched on late)
    assert backup_due(local(2027, 1, 10, 8, 30), newest, at)
    # And a backup made across a time-zone difference compares as instants.
    assert not backup_due(
        local(2027, 1, 10, 8, 30), dt.datetime(2027, 1, 10, 7, 0, tzinfo=dt.UTC), at
    )
