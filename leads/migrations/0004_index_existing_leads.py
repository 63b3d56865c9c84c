"""Index the leads that existed before duplicate detection, so that they are found too.

Uses the historical models and the pure normaliser; `manage.py reindex_duplicates` does the
same later (after a change of normalisation rules)."""

from django.db import migrations


def index_existing(apps, schema_editor):
    from leads.dedupe.identity import identity_of
    from leads.dedupe.normalize import trigrams

    Lead = apps.get_model("leads", "Lead")
    Contact = apps.get_model("leads", "Contact")
    LeadKey = apps.get_model("leads", "LeadKey")
    LeadName = apps.get_model("leads", "LeadName")
    LeadNameGram = apps.get_model("leads", "LeadNameGram")
    on_postgres = schema_editor.connection.vendor == "postgresql"
    last = 0
    while True:
        leads = list(
            Lead.objects.filter(pk__gt=last, merged_into__isnull=True).order_by("pk")[:2000]
        )
        if not leads:
            return
        contacts: dict[int, list[dict]] = {}
        for c in Contact.objects.filter(lead_id__in=[lead.pk for lead in leads]):
            contacts.setdefault(c.lead_id, []).append({"phone": c.phone, "email": c.email})
        keys, names, grams = [], [], []
        for lead in leads:
            identity = identity_of(
                company_name=lead.company_name,
                uscc=lead.uscc,
                website=lead.website,
                city=lead.city,
                contacts=contacts.get(lead.pk, []),
            )
            keys += [LeadKey(lead_id=lead.pk, key=key) for key in identity.keys]
            if identity.name is not None:
                name = identity.name
                names.append(
                    LeadName(
                        lead_id=lead.pk,
                        core=name.core[:200],
                        brand=identity.brand[:200],
                        pinyin=name.pinyin[:400],
                        city=identity.city[:60],
                        uscc=identity.uscc,
                    )
                )
                if not on_postgres:
                    grams += [
                        LeadNameGram(lead_id=lead.pk, gram=g) for g in trigrams(identity.brand)
                    ]
        LeadKey.objects.bulk_create(keys, ignore_conflicts=True)
        LeadName.objects.bulk_create(names, ignore_conflicts=True)
        LeadNameGram.objects.bulk_create(grams)
        last = leads[-1].pk


class Migration(migrations.Migration):
    dependencies = [("leads", "0003_trigram_index")]

    operations = [migrations.RunPython(index_existing, migrations.RunPython.noop)]
