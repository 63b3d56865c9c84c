"""Imports (导入) in the pages: upload a CSV or Excel file; on the job's page, while it is a
draft, preview its first rows and map each column (guessed from its header), choose where
the customers go and whether weak duplicates are confirmed, and start it; then follow its
progress (a bar that updates itself every second) and its per-row report (paged, and as
CSV). Managers and admins; a rep gets 403, another manager's import is a 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from crm.errors import DomainError, NotFound, PermissionDenied
from crm.sql import as_row_id

from .. import access
from ..import_files import FIELDS, max_bytes, max_rows
from ..import_report import report_csv, where_it_went
from ..models import ImportJob, ImportRow
from ..selectors import imports as selectors
from ..selectors.bulk_reassignments import list_pool_targets
from ..services.import_jobs import create_import_job, start_import_job

REPORT_PAGE = 50
PREVIEW_ROWS = 10


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class MappingForm(forms.Form):
    destination = forms.ChoiceField(
        label=gettext_lazy("Where the customers go"),
        choices=ImportJob.Destination.choices,
        widget=forms.RadioSelect,
    )
    pool_team = forms.TypedChoiceField(label=gettext_lazy("Team"), required=False, coerce=int)
    confirm_weak_duplicates = forms.BooleanField(
        label=gettext_lazy(
            "Create rows that only look like an existing customer (weak matches); "
            "exact duplicates are never created"
        ),
        required=False,
    )

    def __init__(self, *args, job: ImportJob, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        choices = [("", _("Ignore this column"))] + [(k, str(v)) for k, v in FIELDS.items()]
        self.columns = []
        for position, header in enumerate(job.columns):
            name = f"col_{position}"
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=job.mapping[position] if position < len(job.mapping) else "",
            )
            self.columns.append(name)
        self.fields["pool_team"].choices = [("", "—")] + [(t.pk, t.name) for t in teams]

    def column_fields(self):
        return [self[name] for name in self.columns]

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(name) or "" for name in self.columns]


def _job_or_404(request, job_id: int) -> ImportJob:
    try:
        return selectors.get_import_job_for(user=request.user, job_id=job_id)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
    except NotFound as exc:
        raise Http404 from exc


def _limits() -> dict:
    return {"max_mb": max_bytes() // (1024 * 1024), "max_rows": max_rows()}


@login_required
@require_http_methods(["GET", "POST"])
def imports(request):
    """GET: the upload form and the user's imports. POST: read the file into a draft."""
    if not access.can_import(request.user):
        raise DjangoPermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = create_import_job(
                    actor=request.user, upload=form.cleaned_data["file"], start=False
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
                status = exc.status
            else:
                return redirect("leads:import", job_id=job.pk)
        else:
            status = 400
    jobs = selectors.list_import_jobs_visible_to(user=request.user)[:50]
    return render(
        request, "leads/imports.html", {"form": form, "jobs": jobs, **_limits()}, status=status
    )


@login_required
def job_page(request, job_id: int):
    """The draft's preview and mapping; a started job's progress and report (with
    `?part=live`, polled by htmx every second, only those)."""
    job = _job_or_404(request, job_id)
    if job.is_draft:
        return _draft(request, job)
    context = _report_context(request, job)
    if request.GET.get("part") == "live":
        response = render(request, "leads/_import_live.html", context)
        if job.is_finished:
            response["HX-Refresh"] = "true"
        return response
    return render(request, "leads/import.html", context)


def _draft(request, job: ImportJob, *, form: MappingForm | None = None, status: int = 200):
    teams = list_pool_targets(user=request.user)
    if form is None:
        form = MappingForm(
            initial={"destination": job.destination, "pool_team": job.pool_team_id},
            job=job,
            teams=teams,
        )
    preview = selectors.preview_rows(job, count=PREVIEW_ROWS)
    samples = [
        [cells[i] if i < len(cells) else "" for cells in preview] for i in range(len(job.columns))
    ]
    return render(
        request,
        "leads/import_draft.html",
        {
            "job": job,
            "form": form,
            "columns": list(zip(form.column_fields(), samples, strict=True)),
            "mine": job.actor_id == request.user.pk,
        },
        status=status,
    )


@login_required
@require_POST
def start(request, job_id: int):
    job = _job_or_404(request, job_id)
    form = MappingForm(request.POST, job=job, teams=list_pool_targets(user=request.user))
    if not form.is_valid():
        return _draft(request, job, form=form, status=400)
    try:
        start_import_job(
            actor=request.user,
            job_id=job.pk,
            mapping=form.mapping(),
            destination=form.cleaned_data["destination"],
            pool_team_id=form.cleaned_data.get("pool_team"),
            confirm_weak_duplicates=form.cleaned_data["confirm_weak_duplicates"],
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _draft(request, job, form=form, status=exc.status)
    messages.success(
        request,
        _("The import has started: %(count)s rows. You can leave this page.")
        % {"count": job.total},
    )
    return redirect("leads:import", job_id=job.pk)


def _report_context(request, job: ImportJob) -> dict:
    outcome = request.GET.get("outcome", "")
    if outcome not in ImportRow.Outcome.values:
        outcome = ""
    after_text = request.GET.get("after", "")
    after = as_row_id(after_text) if after_text.isdigit() else None
    rows = list(
        selectors.list_import_rows(
            job=job, after=after, outcome=outcome or None, limit=REPORT_PAGE + 1
        )
    )
    more = len(rows) > REPORT_PAGE
    rows = rows[:REPORT_PAGE]
    company_at = job.mapping.index("company_name") if "company_name" in job.mapping else None
    for row in rows:
        row.company = row.cells[company_at] if company_at is not None else ""
        row.went = where_it_went(row) if row.outcome == ImportRow.Outcome.CREATED else ""
        row.match = row.matches[0] if row.matches else None
    params = request.GET.copy()
    params.pop("part", None)
    next_query = None
    if more:
        following = params.copy()
        following["after"] = rows[-1].number
        next_query = following.urlencode()
    live = params.copy()
    live["part"] = "live"
    return {
        "job": job,
        "rows": rows,
        "outcome": outcome,
        "next_query": next_query,
        "paged": after is not None,
        "live_query": live.urlencode(),
    }


@login_required
def report(request, job_id: int):
    """The whole report as CSV, in the reader's language."""
    job = _job_or_404(request, job_id)
    return report_csv(job, translated=True)
