import uuid
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.AddField(model_name='order', name='token', field=models.UUIDField(default=uuid.uuid4)),
    ]
