"""A customer's lifecycle (线索状态): new → contacted → qualified → won | lost.

Which status may follow which is a property of the record, written here once; who may make a
change is the access rules' business (`assignments.access`), and the change itself is one
service (`assignments.services.lifecycle.change_status`)."""

from .exceptions import InvalidTransition
from .models import Lead

Status = Lead.Status
# Still being worked: a customer moves freely between these (forward, or back a step).
OPEN = (Status.NEW, Status.CONTACTED, Status.QUALIFIED)


def is_open(status: str) -> bool:
    return status in OPEN


def next_statuses(status: str) -> list[str]:
    """The statuses a customer in `status` may be moved to by hand. `won` is never among
    them: a customer is won by winning one of its deals."""
    if is_open(status):
        return [s for s in (*OPEN, Status.LOST) if s != status]
    # Lost and won customers are reopened (a won one only by a manager: see access).
    return list(OPEN)


def check_transition(from_status: str, to_status: str) -> None:
    if to_status == Status.WON:
        raise InvalidTransition(InvalidTransition.won_message)
    if to_status not in next_statuses(from_status):
        raise InvalidTransition()
