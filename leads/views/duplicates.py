"""The writes the duplicate check guards (create, edit, add a contact), the live check on the
new-customer form, and what a match leads to: a transfer request or a merge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import services as ownership
from crm.errors import DomainError, NotFound, PermissionDenied

from .. import services
from ..dedupe.identity import identity_of
from ..dedupe.matching import find_duplicates
from ..exceptions import DuplicateFound, InvalidUscc, PossibleDuplicate
from ..forms import ContactForm, LeadEditForm, LeadForm, MergeForm, TransferRequestForm
from .detail_page import _after_action, _can_edit, _detail_context, _lead_or_404
from .duplicate_rows import _duplicate_rows

# What the rep typed, kept with a transfer request so the manager sees what they tried.
ATTEMPTED_FIELDS = ("company_name", "uscc", "website", "city")


@login_required
def create(request):
    form = LeadForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = _submit(
            request,
            form,
            context,
            run=lambda: services.create_lead(actor=request.user, **form.service_arguments()),
            success=_("Customer created."),
        )
        if not isinstance(outcome, int):
            return outcome
        status = outcome
    return render(request, "leads/new.html", context, status=400 if form.errors else status)


def _submit(request, form, context: dict, *, run, success: str):
    """Create or edit a customer: the saved lead's page, or the status to re-render the form
    with after a refusal (duplicates shown with their actions, a bad credit code on its field,
    any other refusal as a message). Nothing is saved on a refusal."""
    try:
        lead = run()
    except NotFound as exc:
        raise Http404 from exc
    except DuplicateFound as exc:
        context.update(_refusal_context(request, exc))
        return exc.status
    except InvalidUscc as exc:
        form.add_error("uscc", exc.message)
        return 400
    except DomainError as exc:
        messages.error(request, exc.message)
        return exc.status
    messages.success(request, success)
    return redirect("leads:detail", lead_id=lead.pk)


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
        outcome = _submit(
            request,
            form,
            context,
            run=lambda: services.update_lead(
                lead_id=lead.pk, actor=request.user, **form.service_arguments()
            ),
            success=_("Customer details saved."),
        )
        if not isinstance(outcome, int):
            return outcome
        status = outcome
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
