"""Ownership reads, scoped by who is asking."""

from .claims import ClaimState, ClaimSummary, count_claim_slots, get_claim_state, get_claim_summary
from .collisions import list_collisions_visible_to, list_lead_collisions
from .disputes import (
    Evidence,
    Side,
    count_disputes_to_rule,
    get_dispute_evidence,
    get_dispute_for,
    list_claimant_records,
    list_disputes_to_rule,
    list_disputes_visible_to,
    may_file_dispute,
)
from .duplicates import OwnedMatch, find_duplicates, find_duplicates_of_lead
from .history import list_history
from .leads import (
    SCOPES,
    attach_live_ownership,
    get_lead_for,
    get_pool_lead_name,
    list_leads_visible_to,
    live_ownerships,
    map_live_ownerships,
)
from .links import has_dispute_link, has_link_to
from .notices import OwnerNotice, get_owner_notice
from .people import list_reassign_candidates
from .policies import EffectivePolicy, get_effective_policy, get_global_policy
from .transfers import (
    RequesterLoad,
    count_requests_to_decide,
    list_my_requests,
    list_requests_to_decide,
    list_transfer_requests_visible_to,
    requester_loads,
)

__all__ = [
    "SCOPES",
    "ClaimState",
    "ClaimSummary",
    "EffectivePolicy",
    "Evidence",
    "OwnedMatch",
    "OwnerNotice",
    "RequesterLoad",
    "Side",
    "attach_live_ownership",
    "count_claim_slots",
    "count_disputes_to_rule",
    "count_requests_to_decide",
    "find_duplicates",
    "find_duplicates_of_lead",
    "get_claim_state",
    "get_dispute_evidence",
    "get_dispute_for",
    "get_claim_summary",
    "get_effective_policy",
    "get_global_policy",
    "get_lead_for",
    "get_owner_notice",
    "get_pool_lead_name",
    "has_dispute_link",
    "has_link_to",
    "list_history",
    "list_claimant_records",
    "list_collisions_visible_to",
    "list_disputes_to_rule",
    "list_disputes_visible_to",
    "list_lead_collisions",
    "list_leads_visible_to",
    "list_my_requests",
    "list_reassign_candidates",
    "list_requests_to_decide",
    "list_transfer_requests_visible_to",
    "live_ownerships",
    "map_live_ownerships",
    "may_file_dispute",
    "requester_loads",
]
