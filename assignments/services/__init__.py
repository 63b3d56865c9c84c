"""Ownership writes, and the customer use cases that give a customer its owner. Every change
of owner happens here, under the lead's row lock, and writes exactly one history record in
the same transaction."""

from .claims import claim_lead, release_lead
from .customers import add_contact, create_lead, update_contact, update_lead
from .followups import log_followup
from .imports import import_leads, rows_from_csv
from .merge import merge_leads
from .policies import update_policy
from .reassign import reassign_lead
from .transfers import request_transfer

__all__ = [
    "add_contact",
    "claim_lead",
    "create_lead",
    "import_leads",
    "log_followup",
    "merge_leads",
    "reassign_lead",
    "release_lead",
    "request_transfer",
    "rows_from_csv",
    "update_contact",
    "update_lead",
    "update_policy",
]
