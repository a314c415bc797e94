"""Grandfather-father-son rotation: 7 daily, 4 weekly, 12 monthly, the newest always."""

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from hanout.sync.rotation import Policy, to_keep

UTC = dt.UTC


def at(y, m, d, h=3, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=UTC)


def nightly(start: dt.datetime, days: int) -> list[dt.datetime]:
    return [start + dt.timedelta(days=i) for i in range(days)]


def test_nothing_to_keep_from_nothing():
    assert to_keep([]) == set()


def test_a_single_backup_is_kept():
    assert to_keep([at(2027, 1, 1)]) == {at(2027, 1, 1)}


def test_one_year_of_nightly_backups():
    # 2026-01-01 (a Thursday) .. 2026-12-31, every night at 03:00.
    times = nightly(at(2026, 1, 1), 365)
    kept = to_keep(times)
    daily = {at(2026, 12, d) for d in range(25, 32)}  # Dec 25..31
    # ISO weeks: Dec 31 2026 is a Thursday in week 53; the newest backup of the weeks
    # 53, 52, 51, 50 are Dec 31 (already daily), Dec 27, Dec 20, Dec 13 (Sundays).
    weekly = {at(2026, 12, 31), at(2026, 12, 27), at(2026, 12, 20), at(2026, 12, 13)}
    # Months: the last day of each month of 2026.
    monthly = {
        at(2026, m, d)
        for m, d in [
            (1, 31),
            (2, 28),
            (3, 31),
            (4, 30),
            (5, 31),
            (6, 30),
            (7, 31),
            (8, 31),
            (9, 30),
            (10, 31),
            (11, 30),
            (12, 31),
        ]
    }
    assert kept == daily | weekly | monthly
    assert len(kept) == 7 + 2 + 11  # Dec 31 is daily, weekly and monthly; Dec 27 daily too


def test_the_newest_of_a_day_is_kept_not_the_first():
    times = [at(2027, 3, 10, 3), at(2027, 3, 10, 12, 30), at(2027, 3, 10, 18)]
    assert to_keep(times) == {at(2027, 3, 10, 18)}


def test_several_a_day_keep_one_per_day():
    times = [at(2027, 3, d, h) for d in range(1, 11) for h in (3, 15)]
    kept = to_keep(times, Policy(daily=7, weekly=0, monthly=0))
    assert kept == {at(2027, 3, d, 15) for d in range(4, 11)}


def test_a_month_switched_off_still_keeps_seven_dailies():
    """Days counted are days that have a backup, not calendar days before now."""
    times = nightly(at(2027, 1, 1), 20)  # Jan 1..20, then the computer was off
    kept = to_keep(times, Policy(daily=7, weekly=0, monthly=0))
    assert kept == set(nightly(at(2027, 1, 14), 7))


def test_zero_everywhere_still_keeps_the_newest():
    times = nightly(at(2027, 1, 1), 30)
    assert to_keep(times, Policy(0, 0, 0)) == {at(2027, 1, 30)}


def test_weekly_uses_iso_weeks_across_the_new_year():
    # Mon 2026-12-28 .. Sun 2027-01-03 is ISO week 53 of 2026; then week 1 of 2027.
    times = [at(2026, 12, 28), at(2027, 1, 2), at(2027, 1, 3), at(2027, 1, 4)]
    kept = to_keep(times, Policy(daily=0, weekly=2, monthly=0))
    assert kept == {at(2027, 1, 3), at(2027, 1, 4)}


def test_monthly_reaches_back_a_year():
    # Only the first of each month for two years.
    times = [at(y, m, 1) for y in (2025, 2026) for m in range(1, 13)]
    kept = to_keep(times, Policy(daily=0, weekly=0, monthly=12))
    assert kept == {at(2026, m, 1) for m in range(1, 13)}


def test_order_and_duplicates_do_not_matter():
    times = nightly(at(2026, 6, 1), 90)
    shuffled = times + times[:10]
    random.Random(4).shuffle(shuffled)
    assert to_keep(shuffled) == to_keep(times)


@given(
    st.lists(
        st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 1, 1)),
        min_size=1,
        max_size=200,
    )
)
def test_properties(naive):
    times = [t.replace(tzinfo=UTC) for t in naive]
    kept = to_keep(times)
    assert max(times) in kept
    assert kept <= set(times)
    assert len(kept) <= 1 + 7 + 4 + 12
    # Keeping is stable: running the rotation again on what was kept keeps it all.
    assert to_keep(kept) == kept
    # The newest backup of each of the 7 newest days is kept.
    days = sorted({t.date() for t in times}, reverse=True)[:7]
    for day in days:
        assert max(t for t in times if t.date() == day) in kept
