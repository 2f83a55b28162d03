from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.AlterModelOptions(name='order', options={'ordering': ['-id']}),  # not AlterField(
    ]
