from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("shop", "0001_initial")]

    operations = [
        # migrations.AddField(model_name='order', name='quantity', field=models.IntegerField()),
        migrations.RunSQL("SELECT 'AddField(field=models.IntegerField())'", reverse_sql=migrations.RunSQL.noop),
    ]
