"""Fill the jurisdictions and create the role groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.text import slugify

from courtinfo.jurisdictions import JURISDICTIONS

VIEW_ALL = [
    "courtinfo.view_jurisdiction",
    "courtinfo.view_topic",
    "courtinfo.view_question",
    "courtinfo.view_answer",
    "courtinfo.view_publication",
    "claims.view_claim",
    "claims.view_source",
    "claims.view_citation",
    "claims.view_review",
]

ROLES = {
    "Editors": VIEW_ALL
    + [
        "courtinfo.add_topic",
        "courtinfo.change_topic",
        "courtinfo.add_question",
        "courtinfo.change_question",
        "courtinfo.add_answer",
        "courtinfo.change_answer",
        "courtinfo.submit_answer",
        "claims.add_claim",
        "claims.change_claim",
        "claims.delete_claim",
        "claims.add_source",
        "claims.change_source",
        "claims.add_citation",
        "claims.change_citation",
        "claims.delete_citation",
    ],
    "Reviewers": VIEW_ALL
    + [
        "courtinfo.change_question",
        "courtinfo.change_answer",
        "courtinfo.review_answer",
        "claims.change_claim",
        "claims.verify_claim",
        "claims.add_source",
        "claims.change_source",
        "claims.add_citation",
        "claims.change_citation",
        "claims.delete_citation",
    ],
    "Publishers": VIEW_ALL + ["courtinfo.publish_answer"],
}


def fill(apps, schema_editor):
    Jurisdiction = apps.get_model("courtinfo", "Jurisdiction")
    for code, name, kind in JURISDICTIONS:
        Jurisdiction.objects.update_or_create(
            code=code, defaults={"name": name, "slug": slugify(name), "kind": kind}
        )

    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


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
