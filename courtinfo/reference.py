"""Reference data every installation has: jurisdictions, and role groups with their permissions."""

from django.utils.text import slugify

from courtinfo.jurisdictions import JURISDICTIONS

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
ROLES: dict[str, list[str]] = {
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
    "Publishers": _VIEW_ALL + ["courtinfo.publish_answer"],
}


def ensure_reference_data(apps, using: str = "default") -> None:
    """Create or refresh the jurisdictions and role groups; safe to run any number of times.

    `apps` is a migration's historical registry or the live `django.apps.apps`. The permissions
    must exist already (the caller creates them).
    """
    Jurisdiction = apps.get_model("courtinfo", "Jurisdiction")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    for code, name, kind in JURISDICTIONS:
        Jurisdiction.objects.using(using).update_or_create(
            code=code, defaults={"name": name, "slug": slugify(name), "kind": kind}
        )
    for group_name, codes in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
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
