"""Ownership writes. Every change of owner happens here, under the lead's row lock, and writes
exactly one history record in the same transaction."""

from .claims import claim_lead, release_lead
from .merge import merge_leads
from .periods import assign_new_lead, extend_protection_for_followup
from .policies import update_policy
from .reassign import reassign_lead
from .transfers import request_transfer

__all__ = [
    "assign_new_lead",
    "claim_lead",
    "extend_protection_for_followup",
    "merge_leads",
    "reassign_lead",
    "release_lead",
    "request_transfer",
    "update_policy",
]
