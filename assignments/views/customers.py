"""The writes the duplicate check guards (create, edit, add a contact) and the live check on
the new-customer form. A refusal shows the matches, each with the action that fits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError, NotFound
from leads.dedupe.identity import identity_of
from leads.exceptions import InvalidUscc
from leads.forms import ContactForm, LeadEditForm, LeadForm
from leads.models import Lead
from leads.validation import country_codes

from .. import access, selectors, services
from ..exceptions import DuplicateFound, PossibleDuplicate
from .detail import after_action, lead_or_404, render_detail
from .duplicate_rows import attempted_from, duplicate_rows


@login_required
def create(request):
    form = LeadForm(request.POST or None)
    context = {"form": form, "becomes_owner": access.owns_what_they_create(request.user)}
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


@login_required
def edit(request, lead_id: int):
    lead = lead_or_404(request, lead_id)
    if not access.can_edit(request.user, lead, lead.live_ownership):
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


def _refusal_context(request, exc: DuplicateFound) -> dict:
    return {
        "duplicate_message": exc.message,
        "duplicates": duplicate_rows(request.user, exc.match_objects),
        "needs_confirm": isinstance(exc, PossibleDuplicate),
        "attempted": attempted_from(request.POST),
        "checked": True,
    }


@login_required
@require_POST
def add_contact(request, lead_id: int):
    form = ContactForm(request.POST)
    if not form.is_valid():
        return render_detail(request, lead_or_404(request, lead_id), status=400, contact_form=form)
    try:
        services.add_contact(lead_id=lead_id, actor=request.user, **form.cleaned_data)
    except NotFound as exc:
        raise Http404 from exc
    except DuplicateFound as exc:
        return render_detail(
            request,
            lead_or_404(request, lead_id),
            status=exc.status,
            contact_form=form,
            contact_duplicates=_refusal_context(request, exc),
        )
    except DomainError as exc:
        return after_action(request, lead_id, error=exc)
    return after_action(request, lead_id, success=_("Contact added."))


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
        province=data.get("province", "")[:50],
        kind=data.get("kind", "") if data.get("kind") in Lead.Kind.values else "company",
        country=data.get("country", "")[:2] if data.get("country", "") in country_codes() else "",
        id_number=data.get("id_number", "")[:40],
        contacts=[
            {
                "phone": data.get("contact_phone", "")[:40],
                "email": data.get("contact_email", "")[:320],
            }
        ],
    )
    matches = selectors.find_duplicates(identity) if identity.keys else []
    context = {
        "duplicates": duplicate_rows(request.user, matches),
        "attempted": attempted_from(data),
        "checked": bool(identity.keys),
        "live": True,
    }
    return render(request, "leads/_duplicates.html", context)
