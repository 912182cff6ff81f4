"""Every change of state of a contribution: submitting, confirming, moderating, reporting.

Views, admin views, tasks and the demo call these functions; nothing else writes the
models. Each decision leaves an audit entry (``core.audit.log_action``) and each
decision about a contribution tells its author by e-mail (nobody is moderated silently).

The package is split by concern; everything public is importable from here:

- ``common``: permissions, consent, checks and the mail to a contribution's author;
- ``limits``: the rate limits and the keyed hashes of addresses;
- ``contributing``: submitting and confirming;
- ``moderation``: decisions of moderators, reports, follow-ups.

A person's data (export, erasure) is in ``participation.personal_data``.
"""

from .common import (
    CONFIRM_MAX_AGE,
    CONFIRMATION,
    CONSENT_TEXT,
    CONSENT_VERSION,
    FOLLOW_UP_PERMISSION,
    MODERATE_PERMISSION,
    REPORTS_TO_HIDE,
    ParticipationError,
    is_blocked,
    is_moderator,
    is_own,
    moderators,
    premoderation_for,
)
from .contributing import (
    confirm_contribution,
    confirmation_token,
    contribution_for_token,
    submit_contribution,
)
from .limits import DEFAULT_RATE_LIMITS, LIMITS
from .moderation import (
    UNCHANGED,
    add_remark,
    answer,
    approve,
    block_author,
    mark_spam,
    mark_taken_up,
    reject,
    report,
    set_premoderation,
    update_follow_up,
)

__all__ = [
    "CONFIRM_MAX_AGE",
    "CONFIRMATION",
    "CONSENT_TEXT",
    "CONSENT_VERSION",
    "DEFAULT_RATE_LIMITS",
    "FOLLOW_UP_PERMISSION",
    "LIMITS",
    "MODERATE_PERMISSION",
    "REPORTS_TO_HIDE",
    "UNCHANGED",
    "ParticipationError",
    "add_remark",
    "answer",
    "approve",
    "block_author",
    "confirm_contribution",
    "confirmation_token",
    "contribution_for_token",
    "is_blocked",
    "is_moderator",
    "is_own",
    "mark_spam",
    "mark_taken_up",
    "moderators",
    "premoderation_for",
    "reject",
    "report",
    "set_premoderation",
    "submit_contribution",
    "update_follow_up",
]
