"""Keeps the duplicate index (LeadKey, LeadName, and LeadNameGram on SQLite) in step with
leads. Callers run inside the transaction that changes the lead, so the index is never behind."""

from collections.abc import Iterable

from django.db import connection

from leads.models import Lead, LeadKey, LeadName, LeadNameGram

from .identity import Identity, identity_of_lead
from .normalize import trigrams


def uses_pg_trgm() -> bool:
    return connection.vendor == "postgresql"


def index_lead(lead: Lead, identity: Identity | None = None) -> Identity:
    """(Re)write the index rows of one lead from its current fields and contacts."""
    identity = identity or identity_of_lead(lead)
    LeadKey.objects.filter(lead=lead).delete()
    LeadKey.objects.bulk_create([LeadKey(lead=lead, key=key) for key in sorted(identity.keys)])
    _write_names([(lead.pk, identity)], replace=True)
    return identity


def index_new_leads(pairs: Iterable[tuple[int, Identity]]) -> None:
    """Index leads created in this transaction (nothing to delete first)."""
    pairs = list(pairs)
    LeadKey.objects.bulk_create(
        [LeadKey(lead_id=lead_id, key=key) for lead_id, identity in pairs for key in identity.keys],
        batch_size=2000,
    )
    _write_names(pairs, replace=False)


def unindex_lead(lead: Lead) -> None:
    """A merged lead is no longer a customer of its own: nothing should match it."""
    LeadKey.objects.filter(lead=lead).delete()
    LeadName.objects.filter(lead=lead).delete()
    LeadNameGram.objects.filter(lead=lead).delete()


def _write_names(pairs: list[tuple[int, Identity]], *, replace: bool) -> None:
    ids = [lead_id for lead_id, _ in pairs]
    if replace:
        LeadName.objects.filter(lead_id__in=ids).delete()
        if not uses_pg_trgm():
            LeadNameGram.objects.filter(lead_id__in=ids).delete()
    rows = [
        LeadName(
            lead_id=lead_id,
            core=identity.name.core[:200],
            brand=identity.brand[:200],
            pinyin=identity.name.pinyin[:400],
            city=identity.city[:60],
            uscc=identity.uscc,
            individual=identity.individual,
        )
        for lead_id, identity in pairs
        if identity.name is not None
    ]
    LeadName.objects.bulk_create(rows, batch_size=2000)
    if not uses_pg_trgm():
        LeadNameGram.objects.bulk_create(
            [
                LeadNameGram(lead_id=row.lead_id, gram=gram)
                for row in rows
                for gram in sorted(trigrams(row.brand))
            ],
            batch_size=2000,
        )


def reindex_all(batch: int = 2000) -> int:
    """Rebuild the whole index (after an upgrade or a change of normalisation rules)."""
    LeadKey.objects.all().delete()
    LeadName.objects.all().delete()
    LeadNameGram.objects.all().delete()
    done = 0
    leads = Lead.objects.filter(merged_into__isnull=True).order_by("pk")
    last = 0
    while True:
        chunk = list(leads.filter(pk__gt=last).prefetch_related("contacts")[:batch])
        if not chunk:
            return done
        index_new_leads((lead.pk, identity_of_lead(lead)) for lead in chunk)
        done += len(chunk)
        last = chunk[-1].pk
