from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0006_drop_undecidable_states"),
        ("leads", "0005_lead_won"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="ownership", name="ownership_open_by_owner"),
        migrations.AddIndex(
            model_name="ownership",
            index=models.Index(
                fields=["owner", "protected_until"],
                condition=Q(ended_at__isnull=True),
                include=["lead"],
                name="ownership_open_by_owner",
            ),
        ),
    ]
