"""Existing customers get the country their city or province makes obvious (they all got the
default when the column was added), and those whose country changed are re-indexed: their
phones are now read as that country's numbers."""

from django.conf import settings
from django.db import migrations

BATCH = 2000


def fill_countries(apps, schema_editor):
    from leads.dedupe.identity import identity_of  # noqa: PLC0415 - the pure normaliser
    from leads.dedupe.normalize.regions import country_of_region  # noqa: PLC0415

    Lead = apps.get_model("leads", "Lead")
    Contact = apps.get_model("leads", "Contact")
    LeadKey = apps.get_model("leads", "LeadKey")
    last = 0
    while True:
        rows = list(
            Lead.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "province", "city", "company_name", "uscc", "website")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        moved = {}
        for pk, province, city, *_rest in rows:
            country = country_of_region(city) or country_of_region(province)
            if country and country != settings.DEFAULT_COUNTRY:
                moved[pk] = country
        for pk, country in moved.items():
            Lead.objects.filter(pk=pk).update(country=country)
        if not moved:
            continue
        contacts: dict[int, list] = {}
        for lead_id, phone, email in Contact.objects.filter(lead_id__in=list(moved)).values_list(
            "lead_id", "phone", "email"
        ):
            contacts.setdefault(lead_id, []).append({"phone": phone, "email": email})
        by_pk = {row[0]: row for row in rows}
        LeadKey.objects.filter(lead_id__in=list(moved)).delete()
        keys = []
        for pk, country in moved.items():
            _pk, province, city, name, uscc, website = by_pk[pk]
            identity = identity_of(
                company_name=name,
                uscc=uscc,
                website=website,
                city=city,
                province=province,
                country=country,
                contacts=contacts.get(pk, []),
            )
            keys += [LeadKey(lead_id=pk, key=key) for key in sorted(identity.keys)]
        LeadKey.objects.bulk_create(keys, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("leads", "0007_append_only_status_history")]

    operations = [migrations.RunPython(fill_countries, migrations.RunPython.noop)]
