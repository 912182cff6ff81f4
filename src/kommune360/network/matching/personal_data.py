"""The matching rounds' part of a person's data export and erasure."""


def export_matching(user):
    return {}


def erase_matching(user):
    return None
