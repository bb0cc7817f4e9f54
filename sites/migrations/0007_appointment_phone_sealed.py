"""Appointment phone numbers are sealed with a key of their own, like callback numbers: the clear column
is sealed row by row, then dropped."""

from django.db import migrations, models

from hub import crypto


def _seal(row, phone: str):
    data_key = crypto.new_data_key()
    row.wrapped_key = crypto.wrap(data_key)
    row.phone_sealed = crypto.seal(data_key, phone.encode(), context=f"appointment-phone:{row.public_id}")


def seal_phones(apps, schema_editor):
    Appointment = apps.get_model("sites", "Appointment")
    for row in Appointment.objects.exclude(phone="").only("pk", "public_id", "phone").iterator():
        _seal(row, row.phone)
        row.save(update_fields=["wrapped_key", "phone_sealed"])


def open_phones(apps, schema_editor):
    Appointment = apps.get_model("sites", "Appointment")
    for row in Appointment.objects.exclude(wrapped_key=b"").iterator():
        data_key = crypto.unwrap(row.wrapped_key)
        context = f"appointment-phone:{row.public_id}"
        row.phone = crypto.unseal(data_key, row.phone_sealed, context=context).decode()
        row.save(update_fields=["phone"])


class Migration(migrations.Migration):
    dependencies = [("sites", "0006_appointment_calendar_shows_site")]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="wrapped_key",
            field=models.BinaryField(blank=True, default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="appointment",
            name="phone_sealed",
            field=models.BinaryField(blank=True, default=b""),
        ),
        migrations.RunPython(seal_phones, open_phones),
        migrations.RemoveField(model_name="appointment", name="phone"),
    ]
