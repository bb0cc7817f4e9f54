from django.db import migrations

ROLE_NAMES = [
    "youth",
    "counselor",
    "trainee_counselor",
    "mentor",
    "site_lead",
    "coordinator",
    "network_partner",
    "editor",
]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
