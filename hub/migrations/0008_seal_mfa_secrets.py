"""TOTP secrets and recovery-code seeds written before the MFA adapter sealed them are sealed now."""

from django.db import migrations

from hub import sealed


def _convert(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    (entry,) = sealed.MASTER_SEALED_JSON
    for row in Authenticator.objects.only("pk", "data").iterator():
        data = dict(row.data or {})
        for key in entry.keys:
            if isinstance(data.get(key), str):
                data[key] = change(data[key])
            elif isinstance(data.get(key), list):
                data[key] = [change(value) for value in data[key]]
        if data != row.data:
            row.data = data
            row.save(update_fields=["data"])


def seal_secrets(apps, schema_editor):
    _convert(apps, lambda value: value if sealed.is_sealed_text(value) else sealed.seal_text(value))


def open_secrets(apps, schema_editor):
    _convert(apps, lambda value: sealed.unseal_text(value) if sealed.is_sealed_text(value) else value)


class Migration(migrations.Migration):
    dependencies = [("hub", "0007_user_language"), ("mfa", "0003_authenticator_type_uniq")]

    operations = [migrations.RunPython(seal_secrets, open_secrets)]
