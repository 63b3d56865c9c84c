"""Imports (导入) as jobs: reading CSV (UTF-8, UTF-8 with BOM, GBK) and XLSX, guessing the
mapping from Chinese and English headers, bad files refused with 400 codes, and each row's
outcome (created and where it went, duplicate of whom, invalid phone, missing company)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assignments.exceptions import (
    ImportFileEmpty,
    ImportFileEncoding,
    ImportFileFormat,
    ImportFileTooLarge,
    ImportFileUnreadable,
    ImportInvalidMapping,
    ImportNoCompanyColumn,
    ImportTooManyRows,
    OutOfScope,
)
from assignments.import_files import guess_mapping, read_bytes
from assignments.models import Collision, ImportJob, ImportRow, Ownership
from assignments.services.import_jobs import create_import_job, start_import_job
from assignments.services.import_run import run_import_job
from assignments.services.territory_rules import create_rule
from crm.errors import PermissionDenied
from leads.models import Lead

pytestmark = pytest.mark.django_db

HEADER_ZH = "公司名称,联系人,手机,邮箱,省份,城市,行业,来源,统一社会信用代码,网址,职位"


def upload(data: bytes, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(job: ImportJob) -> ImportJob:
    assert run_import_job(job_id=job.pk) is True
    job.refresh_from_db()
    return job


def outcomes(job: ImportJob) -> list[tuple[int, str, str]]:
    return list(job.rows.order_by("number").values_list("number", "outcome", "code"))


# --- reading ----------------------------------------------------------------------------------
def test_headers_in_chinese_and_english_are_guessed():
    assert guess_mapping(HEADER_ZH.split(",")) == [
        "company_name",
        "contact_name",
        "contact_phone",
        "contact_email",
        "province",
        "city",
        "industry",
        "source",
        "uscc",
        "website",
        "contact_title",
    ]
    english = ["Company name", "Contact", "Phone", "E-mail", "Province", "City", "Notes"]
    assert guess_mapping(english) == [
        "company_name",
        "contact_name",
        "contact_phone",
        "contact_email",
        "province",
        "city",
        "",
    ]
    # A field goes to the first column that names it; the second is left for the user.
    assert guess_mapping(["电话", "手机"]) == ["contact_phone", ""]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    text = f"{HEADER_ZH}\n上海星辰科技有限公司,王伟,13800138000,,上海,上海,软件,展会,,,经理\n"
    parsed = read_bytes(text.encode(encoding))
    assert parsed.columns[0] == "公司名称"
    rows = list(parsed.rows)
    assert rows[0][0] == "上海星辰科技有限公司" and rows[0][1] == "王伟"
    assert (
        parsed.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030"}[encoding]
    )


def test_xlsx_numbers_stay_digits_and_blank_rows_are_skipped():
    parsed = read_bytes(xlsx([["Company", "Phone"], ["Acme", 13800138000], [None, None]]))
    assert parsed.file_format == "xlsx"
    assert list(parsed.rows) == [["Acme", "13800138000"]]


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"", "a.csv", ImportFileEmpty),
        (b"Company,Phone\n", "a.csv", ImportFileEmpty),
        (b"PK\x03\x04 not really a zip", "a.xlsx", ImportFileUnreadable),
        (b"\xd0\xcf\x11\xe0 old excel", "a.xls", ImportFileFormat),
        ("公司\n".encode("utf-16"), "a.csv", ImportFileFormat),
        (b"Company\n\xff\xfe\xfa\xfb\x81\n", "a.csv", ImportFileEncoding),
    ],
)
def test_bad_files_are_refused_with_a_code(manager, data, name, error):
    with pytest.raises(error):
        create_import_job(actor=manager, upload=upload(data, name))
    assert not ImportJob.objects.exists()


def test_a_cell_over_the_csv_limit_is_a_400_not_a_crash(manager):
    data = b'Company,Note\nAcme,"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(ImportFileUnreadable):
        create_import_job(actor=manager, upload=upload(data))


def test_size_and_row_limits(manager, settings):
    settings.IMPORT_MAX_ROWS = 3
    body = "Company\n" + "".join(f"Firm {i}\n" for i in range(4))
    with pytest.raises(ImportTooManyRows):
        create_import_job(actor=manager, upload=upload(body.encode()))
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(ImportFileTooLarge) as caught:
        create_import_job(actor=manager, upload=upload(b"Company\nAcme Limited\n"))
    assert caught.value.code == "file_too_large"
    assert not ImportJob.objects.exists() and not ImportRow.objects.exists()


def test_mapping_must_name_the_company_and_each_field_once(manager):
    job = create_import_job(
        actor=manager, upload=upload(b"Firm,Tel\nAcme,13800138000\n"), start=False
    )
    assert job.state == "draft" and job.mapping == ["", "contact_phone"]
    with pytest.raises(ImportNoCompanyColumn):
        start_import_job(
            actor=manager, job_id=job.pk, mapping=["", "contact_phone"], destination="routing"
        )
    with pytest.raises(ImportInvalidMapping):
        start_import_job(
            actor=manager,
            job_id=job.pk,
            mapping=["company_name", "company_name"],
            destination="routing",
        )
    with pytest.raises(ImportInvalidMapping):
        start_import_job(
            actor=manager, job_id=job.pk, mapping=["company_name", "owner"], destination="routing"
        )


# --- permissions ------------------------------------------------------------------------------
def test_reps_may_not_import_and_managers_only_into_their_pools(rep, manager, other_team):
    with pytest.raises(PermissionDenied):
        create_import_job(actor=rep, upload=upload(b"Company\nAcme\n"))
    with pytest.raises(OutOfScope):
        create_import_job(
            actor=manager,
            upload=upload(b"Company\nAcme\n"),
            destination="team_pool",
            pool_team_id=other_team.pk,
        )


# --- rows -------------------------------------------------------------------------------------
def test_each_row_goes_through_the_creation_with_its_outcome(manager, team, rep, make_lead):
    taken = make_lead(
        actor=rep,
        company_name="杭州云端网络科技有限公司",
        contacts=[{"name": "Li", "phone": "13911112222", "email": ""}],
    )
    body = (
        f"{HEADER_ZH}\n"
        "上海星辰科技有限公司,王伟,13800138000,wang@xingchen.cn,上海,上海,软件,展会,,,经理\n"
        "杭州云端网络,李娜,13911112222,,浙江,杭州,软件,,,,\n"
        ",赵六,13700001111,,,,,,,,\n"
        "北京远方贸易有限公司,孙七,无,,,,,,,,\n"
        "广州海风物流有限公司,,,,广东,广州,物流,,,,\n"
    )
    job = create_import_job(
        actor=manager,
        upload=upload(body.encode("gbk")),
        destination="team_pool",
        pool_team_id=team.pk,
        start=False,
    )
    start_import_job(
        actor=manager,
        job_id=job.pk,
        mapping=job.mapping,
        destination="team_pool",
        pool_team_id=team.pk,
    )
    job = run(job)
    assert outcomes(job) == [
        (1, "created", ""),
        (2, "duplicate", "duplicate_owned"),
        (3, "invalid", "missing_company"),
        (4, "invalid", "invalid_phone"),
        (5, "created", ""),
    ]
    assert (job.state, job.total, job.created, job.duplicates, job.invalid, job.failed) == (
        "done",
        5,
        2,
        1,
        2,
        0,
    )
    first = job.rows.get(number=1)
    assert first.lead.company_name == "上海星辰科技有限公司"
    assert first.lead.pool_team_id == team.pk and first.pool_team_id == team.pk
    assert first.owner_id is None
    assert first.lead.contacts.get().phone == "13800138000"
    duplicate = job.rows.get(number=2)
    assert duplicate.lead_id is None
    assert duplicate.matches[0]["lead"] == taken.pk
    assert duplicate.matches[0]["owner"]["id"] == rep.pk
    # The refusal is in the collision log, as from any other door.
    assert taken.pk in {c.lead_id for c in manager_collisions(manager)}
    assert Lead.objects.filter(company_name="北京远方贸易有限公司").count() == 0


def manager_collisions(user):
    return Collision.objects.filter(user=user)


def test_weak_duplicates_pass_only_when_confirmed_strong_never(admin_user, make_lead):
    make_lead(actor=admin_user, company_name="深圳蓝海电子有限公司", city="深圳", contacts=[])
    # The same name (strong) and a longer one (weak: 科技 added).
    body = "公司名称,城市\n深圳蓝海电子有限公司,深圳\n深圳蓝海电子科技有限公司,深圳\n".encode()
    refused = run(
        create_import_job(actor=admin_user, upload=upload(body), destination="public_pool")
    )
    assert outcomes(refused) == [
        (1, "duplicate", "duplicate_in_pool"),
        (2, "duplicate", "possible_duplicate"),
    ]
    confirmed = run(
        create_import_job(
            actor=admin_user,
            upload=upload(body),
            destination="public_pool",
            confirm_weak_duplicates=True,
        )
    )
    assert outcomes(confirmed) == [(1, "duplicate", "duplicate_in_pool"), (2, "created", "")]
    assert Lead.objects.filter(company_name="深圳蓝海电子科技有限公司").count() == 1


def test_routing_sends_rows_where_the_territory_rules_say(admin_user, team, rep):
    create_rule(
        actor=admin_user,
        name="浙江",
        conditions=[{"field": "province", "op": "equals", "value": "浙江"}],
        target={"kind": "round_robin", "team": team.pk},
    )
    body = "公司名称,省份\n宁波东方机械有限公司,浙江\n成都西部食品有限公司,四川\n".encode()
    job = run(create_import_job(actor=admin_user, upload=upload(body)))
    rows = {r.number: r for r in job.rows.all()}
    assert rows[1].outcome == "created" and rows[1].owner_id == rep.pk
    assert Ownership.objects.get(lead=rows[1].lead, ended_at__isnull=True).owner_id == rep.pk
    # No rule matches: the public pool, unowned.
    assert rows[2].outcome == "created" and rows[2].owner_id is None
    assert rows[2].pool_team_id is None
    assert not Ownership.objects.filter(lead=rows[2].lead).exists()
