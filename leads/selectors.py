"""Reads of customer records that need no owner: the lists admins edit (deal stages, lost
reasons). Each list starts with its defaults the first time it is read (as the global pool
policy does), so a fresh database works without a data migration."""

from django.db import connection, transaction
from django.db.models import QuerySet

from .models import DealStage, LostReason

# (English, Chinese, win probability %)
DEFAULT_DEAL_STAGES = [
    ("Initial contact", "初步接洽", 10),
    ("Needs confirmed", "需求确认", 25),
    ("Proposal and quote", "方案报价", 50),
    ("Negotiation", "商务谈判", 75),
]
DEFAULT_LOST_REASONS = [
    ("No budget", "预算不足"),
    ("Chose a competitor", "选择了竞争对手"),
    ("No need at present", "暂无需求"),
    ("Price too high", "价格过高"),
    ("Could not reach them", "无法联系"),
    ("Other", "其他"),
]


def list_deal_stages(*, active_only: bool = True) -> QuerySet[DealStage]:
    if not DealStage.objects.exists():
        _create_defaults(
            DealStage,
            [
                {"name_en": en, "name_zh": zh, "probability": p, "position": i}
                for i, (en, zh, p) in enumerate(DEFAULT_DEAL_STAGES, start=1)
            ],
        )
    stages = DealStage.objects.all()
    return stages.filter(active=True) if active_only else stages


def list_lost_reasons(*, active_only: bool = True) -> QuerySet[LostReason]:
    if not LostReason.objects.exists():
        _create_defaults(
            LostReason,
            [
                {"name_en": en, "name_zh": zh, "position": i}
                for i, (en, zh) in enumerate(DEFAULT_LOST_REASONS, start=1)
            ],
        )
    reasons = LostReason.objects.all()
    return reasons.filter(active=True) if active_only else reasons


def _create_defaults(model, rows: list[dict]) -> None:
    # Two first readers at once: the second one's rows would duplicate the list, so both
    # serialise on the table (SQLite's IMMEDIATE transactions do that already).
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {model._meta.db_table} IN SHARE ROW EXCLUSIVE MODE"  # noqa: S608
                )
        if not model.objects.exists():
            model.objects.bulk_create([model(**row) for row in rows])
