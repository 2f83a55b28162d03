from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("bookings", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="status",
            field=models.CharField(default="pending", max_length=20),
        ),
        migrations.AddIndex(
            model_name="booking",
            index=models.Index(fields=["date"], name="booking_date_idx"),
        ),
    ]
