from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name='order',
            name='coupon',
            field=models.ForeignKey(null=True, db_index=False, on_delete=django.db.models.deletion.SET_NULL, to='shop.coupon'),
        ),
    ]
