"""Every operation that changes registrations, sessions or events, by concern:

- ``registration``: register, the waitlist (offer, accept, decline, expire), cancel,
  choose sessions;
- ``capacity``: change the number of places, call the event off;
- ``checkin``: check-in at the event;
- ``mails``: registration mails (queued when due), the confirmation link of a visitor
  without account, messages to participants, postcards;
- ``places``: counting places and seats; ``locking``: the one transaction with the
  event row locked (the rule is in its docstring); ``errors``: what they raise.

Callers use the package: ``from kommune360.events import services``.
"""

from .capacity import cancel_event, update_capacity
from .checkin import check_in
from .errors import (
    AlreadyRegistered,
    ConfirmationExpired,
    ConfirmationInvalid,
    EventFull,
    OfferNotValid,
    RegistrationClosed,
    RegistrationError,
    SessionFull,
)
from .mails import (
    POSTCARDS_PER_REGISTRATION,
    message_participants,
    read_confirmation_link,
    request_due_mails,
    send_confirmation_link,
    send_due_mails,
    send_postcard,
)
from .places import availability, session_counts
from .registration import (
    accept_offer,
    cancel_registration,
    choose_sessions,
    decline_offer,
    expire_offers,
    register_for_event,
)

__all__ = [
    "POSTCARDS_PER_REGISTRATION",
    "AlreadyRegistered",
    "ConfirmationExpired",
    "ConfirmationInvalid",
    "EventFull",
    "OfferNotValid",
    "RegistrationClosed",
    "RegistrationError",
    "SessionFull",
    "accept_offer",
    "availability",
    "cancel_event",
    "cancel_registration",
    "check_in",
    "choose_sessions",
    "decline_offer",
    "expire_offers",
    "message_participants",
    "read_confirmation_link",
    "register_for_event",
    "request_due_mails",
    "send_confirmation_link",
    "send_due_mails",
    "send_postcard",
    "session_counts",
    "update_capacity",
]
