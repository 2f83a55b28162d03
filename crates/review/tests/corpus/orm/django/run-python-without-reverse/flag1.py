def forwards(apps, schema_editor):
    pass


from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.RunPython(forwards),
    ]
