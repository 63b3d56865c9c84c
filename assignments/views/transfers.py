"""The pages of transfer requests: the manager's inbox (待审批), the rep's own requests
(我的申请), and the decisions on them. Each decision calls its service; a refusal becomes a
readable message on the page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.errors import DomainError, NotFound, PermissionDenied

from .. import access, selectors, services
from ..forms import ApproveTransferForm, RejectTransferForm
from ..models import TransferRequest
from .paging import keyset_page

# The inbox's tabs, in this order (the labels are the statuses' own).
TABS = [
    TransferRequest.Status.PENDING,
    TransferRequest.Status.APPROVED,
    TransferRequest.Status.REJECTED,
    TransferRequest.Status.WITHDRAWN,
    TransferRequest.Status.STALE,
]


@login_required
def inbox(request):
    if not access.can_see_transfer_inbox(request.user):
        raise DjangoPermissionDenied
    status = request.GET.get("status", TransferRequest.Status.PENDING)
    if status not in TransferRequest.Status.values:
        status = TransferRequest.Status.PENDING
    rows, next_query = keyset_page(
        request, selectors.list_requests_to_decide(user=request.user, status=status)
    )
    loads = selectors.requester_loads(rows) if status == TransferRequest.Status.PENDING else {}
    for row in rows:
        row.load = loads.get(row.requester_id)
    return render(
        request,
        "leads/transfers.html",
        {
            "rows": rows,
            "next_query": next_query,
            "status": status,
            "tabs": [(value, TransferRequest.Status(value).label) for value in TABS],
            "approve_form": ApproveTransferForm(),
            "reject_form": RejectTransferForm(),
            "disputes_to_rule": selectors.count_disputes_to_rule(user=request.user),
        },
    )


@login_required
def mine(request):
    rows, next_query = keyset_page(request, selectors.list_my_requests(user=request.user))
    return render(request, "leads/my_requests.html", {"rows": rows, "next_query": next_query})


def _decide(request, run, *, form, success: str, back: str):
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect(back)
    try:
        run(form.cleaned_data)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, success)
    return redirect(back)


@login_required
@require_POST
def approve(request, request_id: int):
    return _decide(
        request,
        lambda data: services.approve_transfer(
            request_id=request_id,
            actor=request.user,
            reason=data["reason"],
            override_limit=data["override_limit"],
        ),
        form=ApproveTransferForm(request.POST),
        success=_("Approved: the customer now belongs to the requester."),
        back="leads:transfer_inbox",
    )


@login_required
@require_POST
def reject(request, request_id: int):
    return _decide(
        request,
        lambda data: services.reject_transfer(
            request_id=request_id, actor=request.user, reason=data["reason"]
        ),
        form=RejectTransferForm(request.POST),
        success=_("Rejected: the customer stays with its owner."),
        back="leads:transfer_inbox",
    )


@login_required
@require_POST
def withdraw(request, request_id: int):
    return _decide(
        request,
        lambda _data: services.withdraw_transfer(request_id=request_id, actor=request.user),
        form=_NoForm(),
        success=_("Request withdrawn."),
        back="leads:my_requests",
    )


class _NoForm:
    cleaned_data: dict = {}

    def is_valid(self) -> bool:
        return True
