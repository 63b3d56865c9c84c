"""The duplicate index stays in step with the leads: rebuilt by command and by migration."""

import io

import pytest
from django.core.management import call_command

from leads.models import LeadKey, LeadName

pytestmark = pytest.mark.django_db


def test_reindex_command_rebuilds_the_same_index(make_lead):
    make_lead(company_name="深圳市星辰信息科技有限公司", city="深圳")
    make_lead(company_name="Acme Trading Ltd", website="https://www.acme.co.uk/about")
    before = sorted(LeadKey.objects.values_list("lead_id", "key"))
    names = sorted(LeadName.objects.values_list("lead_id", "core", "brand", "city"))
    assert ("domain:acme.co.uk" in {k for _, k in before}) and len(names) == 2
    LeadKey.objects.all().delete()
    LeadName.objects.all().delete()
    out = io.StringIO()
    call_command("reindex_duplicates", stdout=out)
    assert out.getvalue().strip() == "Indexed 2 leads."
    assert sorted(LeadKey.objects.values_list("lead_id", "key")) == before
    assert sorted(LeadName.objects.values_list("lead_id", "core", "brand", "city")) == names


def test_the_migration_indexes_leads_that_existed_before(make_lead):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    lead = make_lead(company_name="杭州云帆网络科技有限公司", city="杭州")
    expected = sorted(LeadKey.objects.filter(lead=lead).values_list("key", flat=True))
    LeadKey.objects.all().delete()
    LeadName.objects.all().delete()
    migration = import_module("leads.migrations.0004_index_existing_leads")
    # The function reads only the editor's connection (a real schema editor cannot open
    # inside the test's transaction on SQLite).
    migration.index_existing(apps, SimpleNamespace(connection=connection))
    assert sorted(LeadKey.objects.filter(lead=lead).values_list("key", flat=True)) == expected
    assert LeadName.objects.get(lead=lead).city == "hangzhou"
