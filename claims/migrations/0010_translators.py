"""The Translators group, and what translating adds to the other roles (least privilege).

Translators read every piece of content and write translations; Reviewers may also approve
translations; every role may read them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_VIEW_TRANSLATIONS = [
    "courtinfo.view_translation",
    "courtinfo.view_translationpublication",
    "claims.view_translatedclaim",
]

GRANTS = {
    "Translators": [
        "courtinfo.view_jurisdiction",
        "courtinfo.view_topic",
        "courtinfo.view_question",
        "courtinfo.view_answer",
        "courtinfo.view_publication",
        "claims.view_claim",
        "claims.view_source",
        "claims.view_citation",
        "claims.view_review",
        *_VIEW_TRANSLATIONS,
        "courtinfo.change_translation",
        "courtinfo.translate_answer",
        "courtinfo.review_translation",
        "claims.change_translatedclaim",
    ],
    "Reviewers": [*_VIEW_TRANSLATIONS, "courtinfo.review_translation"],
    "Editors": _VIEW_TRANSLATIONS,
    "Publishers": _VIEW_TRANSLATIONS,
}


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using)
        app_config.models_module = None
    create_groups(apps, using)


def create_groups(apps, using):
    """Make the Translators group and add the translation permissions to every role."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in GRANTS.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        wanted = {tuple(code.split(".")) for code in codes}
        permissions = [
            permission
            for permission in Permission.objects.using(using)
            .select_related("content_type")
            .filter(codename__in={codename for _, codename in wanted})
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        if len(permissions) != len(wanted):
            raise LookupError(f"Some permissions of the {group_name} group do not exist yet.")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    using = schema_editor.connection.alias
    apps.get_model("auth", "Group").objects.using(using).filter(name="Translators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_translated_claims"),
        ("courtinfo", "0013_translation_triggers"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
