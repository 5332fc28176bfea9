"""Fill the jurisdictions and create the role groups with their permissions.

The data below is this migration's own frozen copy: changing the code later never changes what
it writes. Nothing rewrites these rows after it ran; from then on they belong to the operators.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.text import slugify

JURISDICTIONS = (
    ("AL", "Alabama", "state"),
    ("AK", "Alaska", "state"),
    ("AZ", "Arizona", "state"),
    ("AR", "Arkansas", "state"),
    ("CA", "California", "state"),
    ("CO", "Colorado", "state"),
    ("CT", "Connecticut", "state"),
    ("DE", "Delaware", "state"),
    ("FL", "Florida", "state"),
    ("GA", "Georgia", "state"),
    ("HI", "Hawaii", "state"),
    ("ID", "Idaho", "state"),
    ("IL", "Illinois", "state"),
    ("IN", "Indiana", "state"),
    ("IA", "Iowa", "state"),
    ("KS", "Kansas", "state"),
    ("KY", "Kentucky", "state"),
    ("LA", "Louisiana", "state"),
    ("ME", "Maine", "state"),
    ("MD", "Maryland", "state"),
    ("MA", "Massachusetts", "state"),
    ("MI", "Michigan", "state"),
    ("MN", "Minnesota", "state"),
    ("MS", "Mississippi", "state"),
    ("MO", "Missouri", "state"),
    ("MT", "Montana", "state"),
    ("NE", "Nebraska", "state"),
    ("NV", "Nevada", "state"),
    ("NH", "New Hampshire", "state"),
    ("NJ", "New Jersey", "state"),
    ("NM", "New Mexico", "state"),
    ("NY", "New York", "state"),
    ("NC", "North Carolina", "state"),
    ("ND", "North Dakota", "state"),
    ("OH", "Ohio", "state"),
    ("OK", "Oklahoma", "state"),
    ("OR", "Oregon", "state"),
    ("PA", "Pennsylvania", "state"),
    ("RI", "Rhode Island", "state"),
    ("SC", "South Carolina", "state"),
    ("SD", "South Dakota", "state"),
    ("TN", "Tennessee", "state"),
    ("TX", "Texas", "state"),
    ("UT", "Utah", "state"),
    ("VT", "Vermont", "state"),
    ("VA", "Virginia", "state"),
    ("WA", "Washington", "state"),
    ("WV", "West Virginia", "state"),
    ("WI", "Wisconsin", "state"),
    ("WY", "Wyoming", "state"),
    ("DC", "District of Columbia", "district"),
    ("PR", "Puerto Rico", "territory"),
    ("GU", "Guam", "territory"),
    ("VI", "U.S. Virgin Islands", "territory"),
    ("AS", "American Samoa", "territory"),
    ("MP", "Northern Mariana Islands", "territory"),
    ("US", "United States", "federal"),
)

_VIEW_ALL = [
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

# Least privilege: each group holds the model permissions its work needs and no more.
ROLES = {
    "Editors": _VIEW_ALL
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
    "Reviewers": _VIEW_ALL
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
    "Publishers": _VIEW_ALL
    + [
        "courtinfo.publish_answer",
    ],
}


def create_reference_data(apps, using):
    """Create the jurisdictions and role groups that do not exist yet; the permissions must."""
    Jurisdiction = apps.get_model("courtinfo", "Jurisdiction")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    for code, name, kind in JURISDICTIONS:
        Jurisdiction.objects.using(using).get_or_create(
            code=code, defaults={"name": name, "slug": slugify(name), "kind": kind}
        )
    for group_name, codes in ROLES.items():
        group, created = Group.objects.using(using).get_or_create(name=group_name)
        if not created:
            continue
        wanted = {tuple(code.split(".")) for code in codes}
        permissions = [
            permission
            for permission in Permission.objects.using(using)
            .select_related("content_type")
            .filter(
                content_type__app_label__in={app for app, _ in wanted},
                codename__in={codename for _, codename in wanted},
            )
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = len(wanted) - len(permissions)
        if missing:
            raise LookupError(f"{missing} permissions of the {group_name} group do not exist yet.")
        group.permissions.set(permissions)


def fill(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    create_reference_data(apps, schema_editor.connection.alias)


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
