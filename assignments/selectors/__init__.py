"""Ownership reads, scoped by who is asking."""

from .claims import ClaimState, ClaimSummary, count_claim_slots, get_claim_state, get_claim_summary
from .duplicates import OwnedMatch, find_duplicates, find_duplicates_of_lead
from .history import list_history
from .leads import (
    SCOPES,
    attach_live_ownership,
    get_lead_for,
    list_leads_visible_to,
    live_ownerships,
    map_live_ownerships,
)
from .people import list_reassign_candidates
from .policies import EffectivePolicy, get_effective_policy, get_global_policy
from .transfers import list_transfer_requests_visible_to

__all__ = [
    "SCOPES",
    "ClaimState",
    "ClaimSummary",
    "EffectivePolicy",
    "OwnedMatch",
    "attach_live_ownership",
    "count_claim_slots",
    "find_duplicates",
    "find_duplicates_of_lead",
    "get_claim_state",
    "get_claim_summary",
    "get_effective_policy",
    "get_global_policy",
    "get_lead_for",
    "list_history",
    "list_leads_visible_to",
    "list_reassign_candidates",
    "list_transfer_requests_visible_to",
    "live_ownerships",
    "map_live_ownerships",
]
