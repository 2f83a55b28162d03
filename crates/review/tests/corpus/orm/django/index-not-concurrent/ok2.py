from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name='Widget',
            fields=[('id', models.BigAutoField(primary_key=True))],
        ),
        migrations.AddIndex(model_name='widget', index=models.Index(fields=['id'], name='w_idx')),
    ]
