from django.db import models


class Booking(models.Model):
    """A table or event booking."""

    name = models.CharField(max_length=200)
    email = models.EmailField()
    party = models.PositiveIntegerField()
    date = models.DateTimeField()
    status = models.CharField(max_length=20, default="pending")
