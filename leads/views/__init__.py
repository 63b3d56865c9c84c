"""Server-rendered pages. Thin: every write goes through the same services as the API, every
read through the same permission-scoped selectors.

One idea per module: `lists` (the pool, mine and team lists), `detail_page` (one lead's page
and its claim/release/follow-up/reassign actions), `duplicate_rows` (how duplicate-check
matches are shown) and `duplicates` (the writes the duplicate check guards, the live check,
transfer requests and merges). `leads/urls.py` uses the names re-exported here."""

from .detail_page import claim, detail, followup, reassign, release
from .duplicates import add_contact, check_duplicates, create, edit, merge, request_transfer
from .lists import mine, pool, team

__all__ = [
    "add_contact",
    "check_duplicates",
    "claim",
    "create",
    "detail",
    "edit",
    "followup",
    "merge",
    "mine",
    "pool",
    "reassign",
    "release",
    "request_transfer",
    "team",
]
