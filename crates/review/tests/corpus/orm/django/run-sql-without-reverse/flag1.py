from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.RunSQL("UPDATE shop_order SET state = 'new' WHERE state IS NULL"),
    ]
