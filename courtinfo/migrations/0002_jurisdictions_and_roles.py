"""Fill the jurisdictions and create the role groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from courtinfo.reference import ROLES, ensure_reference_data


def fill(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    ensure_reference_data(apps, using=schema_editor.connection.alias)


def empty(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()
    apps.get_model("courtinfo", "Jurisdiction").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courtinfo", "0001_initial"),
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill, empty)]
