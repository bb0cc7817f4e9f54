from django.db import migrations


def create_online_mentor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="online_mentor")


class Migration(migrations.Migration):
    dependencies = [("hub", "0010_statistics_monthly_figures")]

    operations = [migrations.RunPython(create_online_mentor_group, migrations.RunPython.noop)]
