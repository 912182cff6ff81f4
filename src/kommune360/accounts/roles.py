"""The roles of kommune360, kept as Django groups.

Wagtail's own default groups become two of them (its "Editors" the Redaktion, its
"Moderators" the Administration, which publishes and approves); the others are
created by this app's migration. Apps grant their permissions to these groups in
their own migrations, by name.
"""

MEMBER = "Mitglied"
PROVIDER = "Anbieter:in"
EDITOR = "Redaktion"
MODERATOR = "Moderation"
JURY = "Jury"
ADMINISTRATION = "Administration"

ALL = [MEMBER, PROVIDER, EDITOR, MODERATOR, JURY, ADMINISTRATION]
# Roles that work in the Wagtail admin at /admin/.
STAFF = [EDITOR, MODERATOR, JURY, ADMINISTRATION]


def has_role(user, role):
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=role).exists())
