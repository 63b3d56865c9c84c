"""The admin console's territory rules (系统设置 · 分配规则): the list in the order rules are
tried (move up and down, switch on and off, delete), the recent changes, and the editor
with a live preview: as the admin types, the page shows how the last 200 customers created
would be routed by the rule set as edited, next to what happened to each. Every change
calls the rule services, which check it and record it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import admin_required
from crm.errors import DomainError, NotFound

from .. import services
from ..console_forms import CHOICE_LABELS, RuleEditor
from ..models import TerritoryRule
from ..rule_input import target_of
from ..selectors.console import list_rule_changes, list_rule_editor_choices, list_rules
from ..selectors.routing_preview import DEFAULT_LIMIT, preview_routing
from ..selectors.territory import rule_data
from ..territory import FIELD_LABELS, OP_LABELS

CHANGES_SHOWN = 20


@admin_required
def rules(request):
    context = {
        "tab": "rules",
        "rules": list_rules(),
        "changes": list_rule_changes(limit=CHANGES_SHOWN),
    }
    return render(request, "console/rules.html", context)


def _stored(rule_id: int) -> TerritoryRule:
    rule = TerritoryRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    return rule


@admin_required
def rule_new(request):
    return _editor(request, rule=None)


@admin_required
def rule_edit(request, rule_id: int):
    return _editor(request, rule=_stored(rule_id))


def _editor(request, *, rule: TerritoryRule | None):
    if request.method != "POST":
        return _editor_page(request, rule=rule, editor=RuleEditor.of(rule))
    editor = RuleEditor.from_post(request.POST)
    if "add_condition" in request.POST:
        return _editor_page(request, rule=rule, editor=editor, extra=1)
    try:
        if rule is None:
            saved = services.create_rule(
                actor=request.user, position=editor.position, **editor.as_rule()
            )
        else:
            saved = services.update_rule(
                actor=request.user,
                rule_id=rule.pk,
                version=editor.version,
                position=editor.position,
                **editor.as_rule(),
            )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _editor_page(request, rule=rule, editor=editor, error=exc.message, status=400)
    messages.success(request, _("The rule “%(name)s” is saved.") % {"name": saved.name})
    return redirect("console-rules")


def _editor_page(request, *, rule, editor: RuleEditor, extra=0, error="", status=200):
    context = {
        "tab": "rules",
        "rule": rule,
        "editor": editor,
        "rows": editor.shown_rows(extra),
        "error": error,
        "fields": FIELD_LABELS,
        "ops": OP_LABELS,
        "sizes": CHOICE_LABELS["size"],
        "targets": TerritoryRule.Target.choices,
        **list_rule_editor_choices(),
        "limit": DEFAULT_LIMIT,
        # A new rule not yet written: the preview shows the rules in force.
        **_preview(rule, None if rule is None and request.method != "POST" else editor),
    }
    return render(request, "console/rule_edit.html", context, status=status)


def _edited_set(rule: TerritoryRule | None, editor: RuleEditor | None) -> list[dict]:
    """The rules in force with this one as edited (replaced, or inserted where it goes)."""
    others = []
    for stored in list_rules():
        if rule is not None and stored.pk == rule.pk:
            continue
        data = rule_data(stored)
        others.append(
            {
                "id": data["id"],
                "name": data["name"],
                "active": data["active"],
                "conditions": data["conditions"],
                "target": target_of(data),
            }
        )
    if editor is None:
        return others
    edited = {**editor.as_rule(), "id": rule.pk if rule else None}
    position = editor.position or (rule.position if rule else len(others) + 1)
    others.insert(min(max(position, 1) - 1, len(others)), edited)
    return others


def _preview(rule: TerritoryRule | None, editor: RuleEditor | None) -> dict:
    """The preview of the edited set, or why there is none (the edit is not a valid rule)."""
    try:
        preview = preview_routing(rules=_edited_set(rule, editor), limit=DEFAULT_LIMIT)
    except DomainError as exc:
        return {"preview": None, "preview_error": exc.message}
    return {"preview": preview, "preview_error": ""}


@require_POST
@admin_required
def rule_preview(request, rule_id: int | None = None):
    """The live preview of the editor (htmx, as the admin types). Reads only."""
    rule = _stored(rule_id) if rule_id is not None else None
    editor = RuleEditor.from_post(request.POST)
    context = {"limit": DEFAULT_LIMIT, **_preview(rule, editor)}
    return render(request, "console/_rule_preview.html", context)


@require_POST
@admin_required
def rule_move(request, rule_id: int):
    rule = _stored(rule_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.update_rule(
            actor=request.user, rule_id=rule.pk, position=max(rule.position + step, 1)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{redirect('console-rules').url}#rule-{rule.pk}")


@require_POST
@admin_required
def rule_set_active(request, rule_id: int):
    rule = _stored(rule_id)
    active = request.POST.get("active") == "1"
    try:
        services.update_rule(actor=request.user, rule_id=rule.pk, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if active:
            messages.success(request, _("“%(name)s” routes customers again.") % {"name": rule})
        else:
            messages.success(
                request, _("“%(name)s” is switched off: routing skips it.") % {"name": rule}
            )
    return redirect("console-rules")


@require_POST
@admin_required
def rule_delete(request, rule_id: int):
    rule = _stored(rule_id)
    try:
        services.delete_rule(actor=request.user, rule_id=rule.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The rule “%(name)s” is deleted.") % {"name": rule.name})
    return redirect("console-rules")
