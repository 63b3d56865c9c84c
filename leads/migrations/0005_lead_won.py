from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("leads", "0004_index_existing_leads")]

    operations = [
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["id"], condition=Q(status="won"), name="lead_won"),
        ),
    ]
