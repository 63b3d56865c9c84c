"""Admins change the territory rules (分配规则): create, change, delete, reorder. Each change
locks the rows it touches, writes one `TerritoryRuleChange` (who, when, before, after) in the
same transaction, and stamps `updated_at` on every rule it touched, so every process's
compiled rules (`selectors.territory.list_rules_in_force`) see it at their next creation.

Positions run 1, 2, 3, ... in the order rules are tried; the edits that move rules (create,
delete, reorder, a change of position) renumber the list under the locks of all its rows."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.models import User
from crm.errors import NotFound

from .. import access
from ..exceptions import InvalidRule, RuleChanged
from ..locks import lock_territory_rule, lock_territory_rules
from ..models import TerritoryRule, TerritoryRuleChange
from ..rule_input import clean_active, clean_name, clean_position, clean_rule, clean_target
from ..selectors.territory import rule_data
from ..territory import clean_conditions

Action = TerritoryRuleChange.Action
# What `update_rule` may change, and `version`: the version the editor started from.
CHANGEABLE = ("name", "active", "conditions", "target", "position")
_RULE_COLUMNS = ("name", "active", "conditions", "target_kind", "target_rep_id", "target_team_id")


def _in_order(rules: Sequence[TerritoryRule]) -> list[TerritoryRule]:
    return sorted(rules, key=lambda r: (r.position, r.pk))


def _renumber(ordered: list[TerritoryRule], *, now: datetime) -> None:
    """Positions 1..n in this order; the rules whose position changes are touched."""
    moved = []
    for number, rule in enumerate(ordered, start=1):
        if rule.position != number:
            rule.position, rule.updated_at = number, now
            moved.append(rule)
    TerritoryRule.objects.bulk_update(moved, ["position", "updated_at"])


def _record(*, action: str, actor: User | None, rule_id, before, after, now: datetime) -> None:
    change = TerritoryRuleChange.objects.create(
        action=action,
        rule_id=rule_id,
        actor=actor,
        before=before,
        after=after,
        at=now,
    )
    # The audit record points at the rule's own change record (which holds before/after).
    name = (after or before or {}).get("name", "") if isinstance(after or before, dict) else ""
    audit.record_event(
        kind=audit.Kind.RULE_CHANGED,
        actor=actor,
        object_type="territory_rule",
        object_id="" if rule_id is None else rule_id,
        object_repr=name,
        action=action,
        details={"rule_change": change.pk},
    )


def _find(rules: list[TerritoryRule], rule_id: int) -> TerritoryRule:
    for rule in rules:
        if rule.pk == rule_id:
            return rule
    raise NotFound(_("No such territory rule."))


@transaction.atomic(durable=True)
def create_rule(
    *,
    actor: User | None,
    name: str,
    conditions: list,
    target: dict,
    active: bool = True,
    position: int | None = None,
) -> TerritoryRule:
    """A new rule, at `position` (1 is tried first) or at the end."""
    access.ensure_may_manage_rules(actor)
    values = clean_rule(
        {"name": name, "active": active, "conditions": conditions, "target": target}
    )
    position = clean_position(position)
    now = timezone.now()
    # All rows, to place the new rule among them without two rules taking one place.
    ordered = _in_order(lock_territory_rules())
    index = len(ordered) if position is None else min(position - 1, len(ordered))
    rule = TerritoryRule.objects.create(
        **values, position=index + 1, version=1, created_at=now, updated_at=now
    )
    ordered.insert(index, rule)
    _renumber(ordered, now=now)
    _record(
        action=Action.CREATE,
        actor=actor,
        rule_id=rule.pk,
        before=None,
        after=rule_data(rule),
        now=now,
    )
    return rule


@transaction.atomic(durable=True)
def update_rule(*, actor: User | None, rule_id: int, **changes) -> TerritoryRule:
    """Change some of a rule's name, active, conditions, target and position. With
    `version` (the version the editor started from), a rule someone else changed meanwhile
    is refused (`RuleChanged`) instead of overwriting their change. A change bumps the
    rule's version; asking for what is already there changes (and records) nothing."""
    access.ensure_may_manage_rules(actor)
    unknown = set(changes) - {*CHANGEABLE, "version"}
    if unknown:
        raise TypeError(f"update_rule() cannot change {', '.join(sorted(unknown))}")
    expected = changes.pop("version", None)
    # Check the input before taking any lock.
    values: dict = {}
    if "name" in changes:
        values["name"] = clean_name(changes["name"])
    if "active" in changes:
        values["active"] = clean_active(changes["active"])
    if "conditions" in changes:
        values["conditions"] = clean_conditions(changes["conditions"])
    if "target" in changes:
        values.update(clean_target(changes["target"]))
    position = clean_position(changes.get("position"))
    now = timezone.now()
    ordered: list[TerritoryRule] = []
    if position is not None:
        # Moving a rule renumbers others: all rows, in the one lock order.
        ordered = _in_order(lock_territory_rules())
        rule = _find(ordered, rule_id)
    else:
        rule = lock_territory_rule(rule_id)
        if rule is None:
            raise NotFound(_("No such territory rule."))
    if expected is not None and expected != rule.version:
        raise RuleChanged()
    before = rule_data(rule)
    for column, value in values.items():
        setattr(rule, column, value)
    if position is not None:
        ordered.remove(rule)
        ordered.insert(min(position - 1, len(ordered)), rule)
        _renumber(ordered, now=now)
    changed = any(getattr(rule, c) != before[c] for c in _RULE_COLUMNS)
    moved = rule.position != before["position"]
    if not (changed or moved):
        return rule
    rule.version += 1
    rule.updated_at = now
    rule.save(update_fields=[*_RULE_COLUMNS, "version", "updated_at"])
    _record(
        action=Action.UPDATE,
        actor=actor,
        rule_id=rule.pk,
        before=before,
        after=rule_data(rule),
        now=now,
    )
    return rule


@transaction.atomic(durable=True)
def delete_rule(*, actor: User | None, rule_id: int) -> None:
    """Remove a rule; the customers it routed keep their history (which names it)."""
    access.ensure_may_manage_rules(actor)
    now = timezone.now()
    ordered = _in_order(lock_territory_rules())
    rule = _find(ordered, rule_id)
    before = rule_data(rule)
    rule.delete()
    ordered.remove(rule)
    _renumber(ordered, now=now)
    _record(action=Action.DELETE, actor=actor, rule_id=rule_id, before=before, after=None, now=now)


@transaction.atomic(durable=True)
def reorder_rules(*, actor: User | None, ids: list[int]) -> list[TerritoryRule]:
    """Put the rules in this order (every rule's id, once). The change records the order
    of ids before and after."""
    access.ensure_may_manage_rules(actor)
    if not isinstance(ids, list | tuple) or any(
        isinstance(i, bool) or not isinstance(i, int) for i in ids
    ):
        raise InvalidRule(_("Give the rules' ids in their new order."))
    now = timezone.now()
    ordered = _in_order(lock_territory_rules())
    by_id = {rule.pk: rule for rule in ordered}
    if len(ids) != len(set(ids)) or set(ids) != set(by_id):
        raise InvalidRule(_("Give every rule's id once, in the new order."))
    before = [rule.pk for rule in ordered]
    if list(ids) == before:
        return ordered
    wanted = [by_id[i] for i in ids]
    _renumber(wanted, now=now)
    _record(
        action=Action.REORDER, actor=actor, rule_id=None, before=before, after=list(ids), now=now
    )
    return wanted
