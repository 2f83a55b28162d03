from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("shop", "0001_initial")]

    operations = [
        """migrations.RenameField(model_name='order', old_name='qty', new_name='quantity')"""
        migrations.AlterModelOptions(name="order", options={}),
    ]
