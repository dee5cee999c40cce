"""The per-day counts behind the report's chart, kept in ``ConsentDailyCount`` instead of a scan per request.

Closed days (before today, UTC) are counted once, on the first read after they close, and stored; today
is counted live from the ``(created_at, id)`` index. The retention job calls ``forget_purged`` so the
stored counts never include purged records.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import ConsentDailyCount, ConsentRecord

# (day, action) -> count
DayActionCounts = dict[datetime.date, dict[str, int]]


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


def _count_rows(queryset: QuerySet[ConsentRecord]) -> QuerySet:
    return (
        queryset.order_by()
        .annotate(day=TruncDate("created_at", tzinfo=datetime.UTC))
        .values("day", "action", "registry_version_number")
        .annotate(count=Count("pk"))
    )


def _store(rows: QuerySet) -> None:
    ConsentDailyCount.objects.bulk_create(
        [ConsentDailyCount(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["day", "action", "registry_version_number"],
        update_fields=["count"],
        batch_size=1000,
    )


def last_counted_day() -> datetime.date | None:
    return ConsentDailyCount.objects.aggregate(last=Max("day"))["last"]


def count_closed_days() -> None:
    """Store the counts of every closed day after the last stored one (usually just yesterday)."""
    last = last_counted_day()
    today = _today()
    records = ConsentRecord.objects.filter(created_at__lt=_start_of(today))
    if last is not None:
        records = records.filter(created_at__gte=_start_of(last + datetime.timedelta(days=1)))
    _store(_count_rows(records))


def recount_day(day: datetime.date) -> None:
    """Replace one stored day's counts with a fresh count (after records of that day were purged)."""
    with transaction.atomic():
        ConsentDailyCount.objects.filter(day=day).delete()
        _store(
            _count_rows(
                ConsentRecord.objects.filter(
                    created_at__gte=_start_of(day), created_at__lt=_start_of(day + datetime.timedelta(days=1))
                )
            )
        )


def forget_purged() -> None:
    """After a purge (finished or interrupted): drop the days before the oldest record left, recount its day.

    Purges delete oldest first, so the stored counts are right again whatever batch the purge reached.
    """
    oldest = ConsentRecord.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if oldest is None:
        ConsentDailyCount.objects.all().delete()
        return
    oldest_day = oldest.astimezone(datetime.UTC).date()
    ConsentDailyCount.objects.filter(day__lt=oldest_day).delete()
    last = last_counted_day()
    if last is not None and oldest_day <= last:
        recount_day(oldest_day)


def counts_per_day(
    *,
    day_from: datetime.date | None = None,
    day_to: datetime.date | None = None,
    action: str | None = None,
    registry_version_number: int | None = None,
) -> DayActionCounts:
    """Records per day and action for the report's filters: stored closed days plus a live count of the rest."""
    count_closed_days()
    stored = ConsentDailyCount.objects.all()
    live = ConsentRecord.objects.all()
    last = last_counted_day()
    if last is not None:
        live = live.filter(created_at__gte=_start_of(last + datetime.timedelta(days=1)))
    if day_from:
        stored = stored.filter(day__gte=day_from)
        live = live.filter(created_at__gte=_start_of(day_from))
    if day_to:
        stored = stored.filter(day__lte=day_to)
        live = live.filter(created_at__lt=_start_of(day_to + datetime.timedelta(days=1)))
    if action:
        stored = stored.filter(action=action)
        live = live.filter(action=action)
    if registry_version_number is not None:
        stored = stored.filter(registry_version_number=registry_version_number)
        live = live.filter(registry_version_number=registry_version_number)
    by_day: DayActionCounts = defaultdict(lambda: defaultdict(int))
    for row in stored.values("day", "action").annotate(total=Sum("count")).order_by():
        by_day[row["day"]][row["action"]] += row["total"]
    for row in _count_rows(live):
        by_day[row["day"]][row["action"]] += row["count"]
    return {day: dict(actions) for day, actions in by_day.items()}


def counts_per_day_of(queryset: QuerySet[ConsentRecord]) -> DayActionCounts:
    """Live counts of an arbitrary (small, e.g. searched) queryset."""
    by_day: DayActionCounts = defaultdict(lambda: defaultdict(int))
    for row in _count_rows(queryset):
        by_day[row["day"]][row["action"]] += row["count"]
    return {day: dict(actions) for day, actions in by_day.items()}


def any_before(
    day: datetime.date, *, action: str | None = None, registry_version_number: int | None = None
) -> bool:
    """Whether stored days before ``day`` have matching records (the chart then says it shows the last part)."""
    stored = ConsentDailyCount.objects.filter(day__lt=day)
    if action:
        stored = stored.filter(action=action)
    if registry_version_number is not None:
        stored = stored.filter(registry_version_number=registry_version_number)
    return stored.exists()
