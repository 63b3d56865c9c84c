"""Ownership writes, and the customer use cases that give a customer its owner. Every change
of owner happens here, under the lead's row lock, and writes exactly one history record in
the same transaction."""

from .bulk_claims import BULK_MAX, BulkOutcome, claim_leads, release_leads
from .claims import claim_lead, release_lead
from .collaborators import (
    decide_credit_shares,
    invite_collaborator,
    propose_credit_shares,
    remove_collaborator,
)
from .credits import correct_credit
from .customers import add_contact, create_lead, update_contact, update_lead
from .deals import create_deal, lose_deal, update_deal, win_deal
from .disputes import file_dispute, rule_dispute, withdraw_dispute
from .followups import log_followup
from .imports import import_leads, rows_from_csv
from .intake import add_inquiry, take_in
from .lifecycle import change_status
from .merge import merge_leads
from .policies import update_policy
from .reassign import reassign_lead
from .territory_rules import create_rule, delete_rule, reorder_rules, update_rule
from .transfers import approve_transfer, reject_transfer, request_transfer, withdraw_transfer

__all__ = [
    "BULK_MAX",
    "BulkOutcome",
    "add_contact",
    "add_inquiry",
    "approve_transfer",
    "change_status",
    "correct_credit",
    "create_deal",
    "decide_credit_shares",
    "file_dispute",
    "claim_lead",
    "claim_leads",
    "create_lead",
    "create_rule",
    "delete_rule",
    "import_leads",
    "invite_collaborator",
    "log_followup",
    "lose_deal",
    "merge_leads",
    "propose_credit_shares",
    "reassign_lead",
    "reject_transfer",
    "reorder_rules",
    "rule_dispute",
    "take_in",
    "release_lead",
    "release_leads",
    "remove_collaborator",
    "request_transfer",
    "rows_from_csv",
    "update_contact",
    "update_deal",
    "update_lead",
    "update_policy",
    "update_rule",
    "win_deal",
    "withdraw_dispute",
    "withdraw_transfer",
]
