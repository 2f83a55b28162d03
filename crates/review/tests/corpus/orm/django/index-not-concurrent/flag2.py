from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.AddField(model_name='order', name='ref', field=models.CharField(max_length=20, null=True, unique=True)),
    ]
