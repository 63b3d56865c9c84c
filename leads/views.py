"""Server-rendered pages. Thin: every write goes through the same services as the API, every
read through the same permission-scoped selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from assignments import services as ownership
from assignments.selectors import list_history, managed_team_ids
from crm.errors import DomainError, NotFound, PermissionDenied

from . import selectors, services
from .dedupe.door import summary_for
from .dedupe.identity import identity_of, identity_of_lead
from .dedupe.matching import STRONG, Match, find_duplicates
from .exceptions import DuplicateFound, InvalidUscc, PossibleDuplicate
from .filters import LeadFilter
from .forms import (
    ContactForm,
    FollowUpForm,
    LeadEditForm,
    LeadForm,
    MergeForm,
    ReassignForm,
    ReleaseForm,
    TransferRequestForm,
)
from .models import Lead

PAGE_SIZE = 25


def _page(request, queryset):
    """Keyset pagination, newest first: stays fast on a million leads (no COUNT)."""
    before = request.GET.get("before", "")
    if before.isdigit():
        queryset = queryset.filter(pk__lt=int(before))
    rows = list(queryset.order_by("-id").prefetch_related("contacts")[: PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    selectors.attach_live_ownership(rows)
    params = request.GET.copy()
    params.pop("before", None)
    if has_next:
        params["before"] = rows[-1].pk
    return rows, (params.urlencode() if has_next else None)


def _lead_rows(request, leads):
    for lead in leads:
        lead.masked = not selectors.can_see_contact_details(user=request.user, lead=lead)
        lead.first_contact = next(iter(lead.contacts.all()), None)
    return leads


@login_required
def pool(request):
    leads = selectors.list_leads_visible_to(user=request.user, scope="pool")
    filters = LeadFilter(request.GET, queryset=leads)
    rows, next_query = _page(request, filters.qs if filters.is_valid() else leads.none())
    return render(
        request,
        "leads/pool.html",
        {"filters": filters, "leads": _lead_rows(request, rows), "next_query": next_query},
    )


@login_required
def mine(request):
    # One instant for both reads, so a claim expiring in between cannot drop out of one only.
    now = timezone.now()
    leads = selectors.list_leads_visible_to(user=request.user, scope="mine", now=now)
    rows = selectors.attach_live_ownership(list(leads.prefetch_related("contacts")), now=now)
    rows.sort(key=lambda lead: lead.live_ownership.protected_until)
    return render(request, "leads/mine.html", {"leads": _lead_rows(request, rows)})


@login_required
def team(request):
    try:
        leads = selectors.list_leads_visible_to(user=request.user, scope="team")
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    filters = LeadFilter(request.GET, queryset=leads)
    owner = request.GET.get("owner", "")
    queryset = filters.qs if filters.is_valid() else leads.none()
    if owner.isdigit():
        queryset = queryset.filter(
            ownerships__owner_id=int(owner), ownerships__ended_at__isnull=True
        )
    rows, next_query = _page(request, queryset)
    return render(
        request,
        "leads/team.html",
        {
            "filters": filters,
            "leads": _lead_rows(request, rows),
            "next_query": next_query,
            "members": _team_members(request.user),
            "owner_filter": owner,
        },
    )


def _team_members(user: User):
    members = User.objects.filter(is_active=True, role__in=[User.Role.REP, User.Role.MANAGER])
    if user.is_admin:
        return members.order_by("team__name", "display_name")
    return members.filter(team_id__in=managed_team_ids(user)).order_by("display_name")


def _lead_or_404(request, lead_id):
    try:
        return selectors.get_lead_for(user=request.user, lead_id=lead_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def detail(request, lead_id: int):
    try:
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
    except NotFound as exc:
        # A merged record is hidden: its old links lead to the customer it became part of.
        survivor_id = _survivor_id(lead_id)
        if survivor_id is None:
            raise Http404 from exc
        return _to_survivor(request, survivor_id)
    if lead.merged_into_id is not None:
        return _to_survivor(request, _survivor_id(lead.pk))
    return render(request, "leads/detail.html", _detail_context(request, lead))


def _survivor_id(lead_id: int) -> int | None:
    """The lead a merged lead now lives on (merges re-point older merges, but a few hops are
    followed anyway)."""
    survivor_id = None
    for _hop in range(5):
        merged_into = (
            Lead.objects.filter(pk=lead_id).values_list("merged_into_id", flat=True).first()
        )
        if merged_into is None:
            return survivor_id
        survivor_id = lead_id = merged_into
    return survivor_id


def _to_survivor(request, survivor_id: int | None):
    if survivor_id is None:
        raise Http404
    _lead_or_404(request, survivor_id)
    messages.info(request, _("That record was merged into this customer."))
    return redirect("leads:detail", lead_id=survivor_id)


def _can_edit(user: User, lead) -> bool:
    """Mirrors the services' rule for edits: the owner, their manager or an admin; a pool lead
    by a manager or admin of that pool (visibility already checked the pool)."""
    period = lead.live_ownership
    if period is None:
        return user.is_manager or user.is_admin
    return selectors.can_manage_lead(user=user, owner=period.owner)


def _detail_context(request, lead, **forms):
    user = request.user
    period = lead.live_ownership
    can_manage = period is not None and selectors.can_manage_lead(user=user, owner=period.owner)
    can_merge = user.is_manager or user.is_admin
    timeline = [("followup", f.occurred_at, f) for f in lead.followups.select_related("author")]
    timeline += [("event", e.at, e) for e in list_history(lead_id=lead.pk)]
    timeline.sort(key=lambda item: item[1])
    context = {
        "lead": lead,
        "period": period,
        "contacts": lead.contacts.all(),
        "masked": not selectors.can_see_contact_details(user=user, lead=lead),
        "timeline": timeline,
        "can_manage": can_manage,
        "can_claim": period is None and (user.is_rep or user.is_manager),
        "can_reassign": user.is_admin or user.is_manager,
        "followup_form": forms.get("followup_form") or FollowUpForm(),
        "release_form": forms.get("release_form") or ReleaseForm(),
        "reassign_form": forms.get("reassign_form") or ReassignForm(candidates=_team_members(user)),
        "can_edit": _can_edit(user, lead),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "contact_duplicates": forms.get("contact_duplicates"),
        "can_merge": can_merge,
        "possible_duplicates": _merge_candidates(user, lead) if can_merge else [],
        "merge_form": forms.get("merge_form") or MergeForm(),
    }
    return context


def _after_action(request, lead_id, error: DomainError | None = None, success: str = ""):
    if error is not None:
        messages.error(request, error.message)
    elif success:
        messages.success(request, success)
    try:
        selectors.get_lead_for(user=request.user, lead_id=lead_id)
    except NotFound:
        # After a release or a reassignment the lead may no longer be visible to this user.
        return redirect("leads:mine")
    return redirect("leads:detail", lead_id=lead_id)


@login_required
@require_POST
def claim(request, lead_id: int):
    """Claim from the pool. With htmx the pool row is swapped in place with the outcome."""
    error = None
    period = None
    try:
        period = ownership.claim_lead(lead_id=lead_id, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        error = exc
    if request.htmx:
        lead = _lead_or_404(request, lead_id) if error is None else None
        return render(
            request,
            "leads/_pool_row_result.html",
            {"lead_id": lead_id, "lead": lead, "period": period, "error": error},
        )
    if error is None:
        return _after_action(request, lead_id, success=_("You now own this customer."))
    return _after_action(request, lead_id, error=error)


def _lead_action(request, lead_id: int, *, form, form_name: str, run, success: str):
    """One shape for the detail page's forms: an invalid form re-renders the page (400); a
    refusal becomes a readable message; another rep's customer stays a 404."""
    if not form.is_valid():
        lead = _lead_or_404(request, lead_id)
        context = _detail_context(request, lead, **{form_name: form})
        return render(request, "leads/detail.html", context, status=400)
    try:
        run(form.cleaned_data)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _after_action(request, lead_id, error=exc)
    return _after_action(request, lead_id, success=success)


@login_required
@require_POST
def release(request, lead_id: int):
    return _lead_action(
        request,
        lead_id,
        form=ReleaseForm(request.POST),
        form_name="release_form",
        run=lambda data: ownership.release_lead(
            lead_id=lead_id, actor=request.user, reason=data["reason"]
        ),
        success=_("The customer is back in the pool."),
    )


@login_required
@require_POST
def followup(request, lead_id: int):
    return _lead_action(
        request,
        lead_id,
        form=FollowUpForm(request.POST),
        form_name="followup_form",
        run=lambda data: services.log_followup(lead_id=lead_id, actor=request.user, **data),
        success=_("Follow-up saved; protection extended."),
    )


@login_required
@require_POST
def reassign(request, lead_id: int):
    return _lead_action(
        request,
        lead_id,
        form=ReassignForm(request.POST, candidates=_team_members(request.user)),
        form_name="reassign_form",
        run=lambda data: ownership.reassign_lead(
            lead_id=lead_id,
            actor=request.user,
            to_user_id=data["to"].pk,
            reason=data["reason"],
            override_limit=data["override_limit"],
        ),
        success=_("Customer reassigned."),
    )


@login_required
def create(request):
    form = LeadForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.create_lead(actor=request.user, **form.service_arguments())
        except DuplicateFound as exc:
            # Nothing was created: show who has the customer and what to do instead.
            context.update(_refusal_context(request, exc))
            status = exc.status
        except InvalidUscc as exc:
            form.add_error("uscc", exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Customer created."))
            return redirect("leads:detail", lead_id=lead.pk)
    return render(request, "leads/new.html", context, status=400 if form.errors else status)


# Duplicate check (查重) on the pages. A match shows who has the customer and until when, the
# evidence, and the one action that fits; never the matched lead's contact details.

REASON_LABELS = {
    "same_phone": gettext_lazy("same phone"),
    "same_email": gettext_lazy("same e-mail"),
    "same_domain": gettext_lazy("same company website"),
    "same_uscc": gettext_lazy("same credit code"),
    "same_name_city": gettext_lazy("same name in the same city"),
    "same_name": gettext_lazy("same name"),
    "same_name_sound_city": gettext_lazy("same name by sound, same city"),
    "similar_name": gettext_lazy("similar name"),
    "same_local_phone": gettext_lazy("same local number"),
}
# What the rep typed, kept with a transfer request so the manager sees what they tried.
ATTEMPTED_FIELDS = ("company_name", "uscc", "website", "city")


def _in_pool_scope(user: User, lead) -> bool:
    try:
        selectors.ensure_in_pool_scope(user=user, lead=lead)
    except NotFound:
        return False
    return True


def _duplicate_rows(user: User, matches: list[Match]) -> list[dict]:
    rows = []
    for match in matches:
        owner = match.owner
        if owner is None:
            visible = _in_pool_scope(user, match.lead)
            if visible and (user.is_rep or user.is_manager):
                action = "claim"
            else:
                action = "open" if visible else ""
        elif owner.pk == user.pk or selectors.can_manage_lead(user=user, owner=owner):
            action = "open"
        elif user.is_rep or user.is_manager:
            action = "transfer"
        else:
            action = ""
        rows.append(
            {
                "lead": match.lead,
                "level": match.level,
                "strong": match.level == STRONG,
                "summary": summary_for(match),
                "reasons": [REASON_LABELS.get(code, code) for code in match.reasons],
                "action": action,
            }
        )
    return rows


def _attempted(data) -> dict:
    values = {name: str(data.get(name, "")).strip()[:200] for name in ATTEMPTED_FIELDS}
    return {name: value for name, value in values.items() if value}


def _refusal_context(request, exc: DuplicateFound) -> dict:
    return {
        "duplicate_message": exc.message,
        "duplicates": _duplicate_rows(request.user, exc.match_objects),
        "needs_confirm": isinstance(exc, PossibleDuplicate),
        "attempted": _attempted(request.POST),
        "checked": True,
    }


@login_required
@require_POST
def check_duplicates(request):
    """The live check of the new-customer form (htmx, as the rep types). Reads only."""
    data = request.POST
    identity = identity_of(
        company_name=data.get("company_name", "")[:200],
        uscc=data.get("uscc", "")[:40],
        website=data.get("website", "")[:200],
        city=data.get("city", "")[:50],
        contacts=[
            {
                "phone": data.get("contact_phone", "")[:40],
                "email": data.get("contact_email", "")[:320],
            }
        ],
    )
    matches = find_duplicates(identity) if identity.keys else []
    context = {
        "duplicates": _duplicate_rows(request.user, matches),
        "attempted": _attempted(data),
        "checked": bool(identity.keys),
        "live": True,
    }
    return render(request, "leads/_duplicates.html", context)


@login_required
@require_POST
def request_transfer(request, lead_id: int):
    form = TransferRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return _after_action(request, lead_id)
    try:
        ownership.request_transfer(
            lead_id=lead_id,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            attempted=_attempted(_unprefixed(request.POST)),
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _after_action(request, lead_id, error=exc)
    messages.success(request, _("Transfer requested; the owner's manager will decide."))
    return redirect("leads:mine")


def _unprefixed(data) -> dict:
    prefix = "attempted_"
    return {key[len(prefix) :]: value for key, value in data.items() if key.startswith(prefix)}


@login_required
def edit(request, lead_id: int):
    lead = _lead_or_404(request, lead_id)
    if not _can_edit(request.user, lead):
        raise DjangoPermissionDenied
    form = LeadEditForm.for_lead(lead, request.POST if request.method == "POST" else None)
    context = {"lead": lead, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_lead(lead_id=lead.pk, actor=request.user, **form.service_arguments())
        except NotFound as exc:
            raise Http404 from exc
        except DuplicateFound as exc:
            context.update(_refusal_context(request, exc))
            status = exc.status
        except InvalidUscc as exc:
            form.add_error("uscc", exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Customer details saved."))
            return redirect("leads:detail", lead_id=lead.pk)
    return render(request, "leads/edit.html", context, status=400 if form.errors else status)


@login_required
@require_POST
def add_contact(request, lead_id: int):
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.add_contact(lead_id=lead_id, actor=request.user, **form.cleaned_data)
        except NotFound as exc:
            raise Http404 from exc
        except DuplicateFound as exc:
            lead = _lead_or_404(request, lead_id)
            context = _detail_context(
                request, lead, contact_form=form, contact_duplicates=_refusal_context(request, exc)
            )
            return render(request, "leads/detail.html", context, status=exc.status)
        except DomainError as exc:
            return _after_action(request, lead_id, error=exc)
        return _after_action(request, lead_id, success=_("Contact added."))
    lead = _lead_or_404(request, lead_id)
    context = _detail_context(request, lead, contact_form=form)
    return render(request, "leads/detail.html", context, status=400)


def _merge_candidates(user: User, lead) -> list[dict]:
    """Managers and admins see the lead's possible duplicates, with merge buttons where they
    may act on both records (the merge service checks it again)."""
    matches = find_duplicates(identity_of_lead(lead), exclude=(lead.pk,))
    rows = _duplicate_rows(user, matches)
    for row, match in zip(rows, matches, strict=True):
        owner = match.owner
        if owner is None:
            row["can_merge"] = _in_pool_scope(user, match.lead)
        else:
            row["can_merge"] = selectors.can_manage_lead(user=user, owner=owner)
    return rows


@login_required
@require_POST
def merge(request, lead_id: int):
    form = MergeForm(request.POST)
    if not form.is_valid():
        lead = _lead_or_404(request, lead_id)
        context = _detail_context(request, lead, merge_form=form)
        return render(request, "leads/detail.html", context, status=400)
    other = form.cleaned_data["other"]
    if form.cleaned_data["keep"] == MergeForm.KEEP_OTHER:
        survivor_id, merged_id = other, lead_id
    else:
        survivor_id, merged_id = lead_id, other
    try:
        survivor = ownership.merge_leads(
            survivor_id=survivor_id,
            merged_id=merged_id,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _after_action(request, lead_id, error=exc)
    return _after_action(
        request,
        survivor.pk,
        success=_("Merged: contacts, follow-ups and history are now on this customer."),
    )
