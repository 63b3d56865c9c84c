from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crm.errors import DomainError


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class AlreadyOwned(DomainError):
    code = "already_owned"
    status = 409

    def __init__(self, *, owner: dict, protected_until: datetime) -> None:
        message = gettext("Already claimed by %(owner)s (protected until %(until)s).") % {
            "owner": owner["display_name"],
            "until": _when(protected_until),
        }
        super().__init__(message, owner=owner, protected_until=protected_until)


class ClaimLimitReached(DomainError):
    code = "claim_limit_reached"
    status = 409

    def __init__(self, *, limit: int, active: int) -> None:
        message = gettext(
            "Claim limit reached: %(active)s of %(limit)s customers held. "
            "Release one, or win one of their deals: won customers no longer count."
        ) % {"active": active, "limit": limit}
        super().__init__(message, limit=limit, active=active)


class InCooldown(DomainError):
    code = "in_cooldown"
    status = 409

    def __init__(self, *, until: datetime) -> None:
        message = gettext(
            "You recently released or lost this customer; you can claim it again after %(until)s."
        ) % {"until": _when(until)}
        super().__init__(message, until=until)


class NotOwned(DomainError):
    code = "not_owned"
    status = 409
    default_message = _("This customer is in the pool: nobody owns it.")


class CustomerWon(DomainError):
    code = "customer_won"
    status = 409
    default_message = _(
        "This customer is won: it stays with its owner. Only a manager can move it."
    )


class AlreadyOwner(DomainError):
    code = "already_owner"
    status = 409
    default_message = _("That rep already owns this customer.")


class OutOfScope(DomainError):
    code = "out_of_scope"
    status = 403
    default_message = _("That is outside the teams you manage.")


class InvalidTarget(DomainError):
    code = "invalid_target"
    status = 400
    default_message = _("Customers can only be given to an active sales rep or manager.")


class CannotClaim(DomainError):
    code = "cannot_claim"
    status = 403
    default_message = _("Only sales reps and managers can own customers.")


class OwnershipConflict(DomainError):
    code = "ownership_conflict"
    status = 409
    default_message = _("Ownership changed at the same moment; please reload and try again.")


class ReasonRequired(DomainError):
    code = "reason_required"
    status = 400
    default_message = _("Please give a reason.")


class LeadInPool(DomainError):
    code = "lead_in_pool"
    status = 409
    default_message = _("This customer is in the pool: claim it instead of asking for it.")


class TransferAlreadyRequested(DomainError):
    code = "transfer_already_requested"
    status = 409
    default_message = _("You have already asked for this customer; the manager will decide.")


class InvalidAttempted(DomainError):
    code = "invalid_attempted"
    status = 400
    default_message = _("The attempted customer is not valid.")


class CannotRequestTransfer(DomainError):
    code = "cannot_request_transfer"
    status = 403
    default_message = _("Only sales reps and managers can ask for a customer.")


class CannotMerge(DomainError):
    code = "merge_same_lead"
    status = 400
    default_message = _("Choose two different customers to merge.")


class MergeWonLead(DomainError):
    code = "merge_won_lead"
    status = 409
    default_message = _(
        "The other customer has a won deal: keep that one as the survivor so the deal keeps "
        "its history."
    )


class InvalidShares(DomainError):
    code = "invalid_shares"
    status = 400
    default_message = _(
        "Give each person a share above 0, each person once, and shares adding up to 100%."
    )


class DuplicateFound(DomainError):
    """A refusal at the door: the customer already exists. Carries the matches (as the API
    shows them, `matches`) and the matches themselves for the pages (`match_objects`)."""

    status = 409

    def __init__(self, message: str, *, matches: list, attempted: dict | None = None) -> None:
        self.match_objects = matches
        # What identified the attempted customer, for the collision log (not answered).
        self.attempted = attempted or {}
        super().__init__(message, matches=[m.as_dict() for m in matches])


class DuplicateOwned(DuplicateFound):
    code = "duplicate_owned"


class DuplicateInPool(DuplicateFound):
    code = "duplicate_in_pool"


class DuplicateOwn(DuplicateFound):
    code = "duplicate_own"


class PossibleDuplicate(DuplicateFound):
    code = "possible_duplicate"


class AlreadyDecided(DomainError):
    code = "already_decided"
    status = 409

    def __init__(self, *, status: str, label: str) -> None:
        message = gettext("This request was already decided: %(status)s.") % {"status": label}
        super().__init__(message, status=status)


class RequestStale(DomainError):
    code = "request_stale"
    status = 409
    default_message = _(
        "The owner changed since this request was made, so it is closed. Nothing was moved."
    )


# --- disputes (撞单申诉) ----------------------------------------------------------------------
class StatementRequired(DomainError):
    code = "statement_required"
    status = 400
    default_message = _("Say why this customer is yours: the manager rules on your statement.")


class DisputeAlreadyOpen(DomainError):
    code = "dispute_already_open"
    status = 409
    default_message = _("You already have an open dispute on this customer; the manager will rule.")


class InvalidRecord(DomainError):
    code = "invalid_record"
    status = 400
    default_message = _(
        "Choose one of your own records of this customer (one the duplicate check matches)."
    )


class InvalidRuling(DomainError):
    code = "invalid_ruling"
    status = 400
    default_message = _(
        "Rule one of: keep with the owner, transfer to the claimant, return to the pool, or "
        "merge the records (only when the claimant named their record)."
    )


class DisputeRuled(DomainError):
    code = "already_decided"
    status = 409

    def __init__(self, *, status: str, label: str) -> None:
        message = gettext("This dispute is already closed: %(status)s.") % {"status": label}
        super().__init__(message, status=status)


class DisputeStale(DomainError):
    code = "dispute_stale"
    status = 409
    default_message = _(
        "The owner changed since this dispute was filed, so it is closed. Nothing was moved."
    )


class InvalidRule(DomainError):
    code = "invalid_rule"
    status = 400
    default_message = _("This territory rule is not valid.")


class RuleChanged(DomainError):
    code = "rule_changed"
    status = 409
    default_message = _(
        "Someone else changed this rule while you were editing it. Reload it and apply your "
        "change again."
    )


class InvalidPolicy(DomainError):
    code = "invalid_policy"
    status = 400
    default_message = _(
        "Pool policy values must be within bounds: a claim limit from 0 to 100000 and "
        "durations up to 3650 days (a protection period and its maximum above zero)."
    )


class InvalidCsv(DomainError):
    code = "invalid_csv"
    status = 400

    def __init__(self, *, line: int) -> None:
        message = gettext(
            "The CSV could not be read at line %(line)s (a cell over 128 KB, or a broken quote)."
        ) % {"line": line}
        super().__init__(message, line=line)


# --- the dashboard (经理看板) and its statistics ------------------------------------------------
class UnknownStat(DomainError):
    code = "unknown_stat"
    status = 400

    def __init__(self, *, names: list[str]) -> None:
        message = gettext("Unknown statistic: choose one of %(names)s.") % {
            "names": ", ".join(names)
        }
        super().__init__(message, names=names)


class InvalidDate(DomainError):
    code = "invalid_date"
    status = 400

    def __init__(self, *, field: str) -> None:
        message = gettext("“%(field)s” must be a date written as YYYY-MM-DD.") % {"field": field}
        super().__init__(message, field=field)


class InvalidRange(DomainError):
    code = "invalid_range"
    status = 400
    default_message = _("The start of the range must not be after its end.")


class RangeTooLong(DomainError):
    code = "range_too_long"
    status = 400

    def __init__(self, *, days: int) -> None:
        message = gettext("Choose a range of at most %(days)s days.") % {"days": days}
        super().__init__(message, max_days=days)


class InvalidTeam(DomainError):
    code = "invalid_team"
    status = 400
    default_message = _("The team must be given by its number.")


# --- bulk actions on the lists ----------------------------------------------------------------
class NothingSelected(DomainError):
    code = "nothing_selected"
    status = 400
    default_message = _("Select at least one customer.")


class TooManySelected(DomainError):
    code = "too_many_selected"
    status = 400

    def __init__(self, *, limit: int) -> None:
        message = gettext("Select at most %(limit)s customers at a time.") % {"limit": limit}
        super().__init__(message, limit=limit)


# --- bulk moves (批量转移) ---------------------------------------------------------------------
class InvalidFilter(DomainError):
    code = "invalid_filter"
    status = 400
    default_message = _("These filters are not valid.")


class BulkTargetRequired(DomainError):
    code = "invalid_target"
    status = 400
    default_message = _(
        "Choose where the customers go: a rep, several reps in turn, a team's pool or the "
        "public pool."
    )


class NotARepToHandOver(DomainError):
    code = "not_a_rep"
    status = 409
    default_message = _("Only an active sales rep's customers are handed over this way.")


# --- imports (导入) ---------------------------------------------------------------------------
class ImportFileMissing(DomainError):
    code = "file_required"
    default_message = _("Choose a CSV or Excel (.xlsx) file to import.")


class ImportFileTooLarge(DomainError):
    code = "file_too_large"

    def __init__(self, *, limit_mb: int) -> None:
        message = gettext("The file is larger than %(limit)s MB.") % {"limit": limit_mb}
        super().__init__(message, limit_mb=limit_mb)


class ImportTooManyRows(DomainError):
    code = "too_many_rows"

    def __init__(self, *, limit: int) -> None:
        message = gettext("The file has more than %(limit)s rows; split it.") % {"limit": limit}
        super().__init__(message, limit=limit)


class ImportFileFormat(DomainError):
    code = "file_format"
    default_message = _("Only CSV and Excel (.xlsx) files can be imported.")


class ImportFileUnreadable(DomainError):
    code = "file_unreadable"
    default_message = _("The file could not be read: is it a CSV or .xlsx file?")


class ImportFileEncoding(DomainError):
    code = "file_encoding"
    default_message = _("The CSV file is neither UTF-8 nor GBK text.")


class ImportFileEmpty(DomainError):
    code = "file_empty"
    default_message = _("The file has a header row but no data rows.")


class ImportInvalidMapping(DomainError):
    code = "invalid_mapping"
    default_message = _("The column mapping is not valid.")


class ImportNoCompanyColumn(DomainError):
    code = "company_column_required"
    default_message = _("Map one column to the company name.")


class ImportAlreadyStarted(DomainError):
    code = "import_started"
    status = 409
    default_message = _("This import has started already.")
