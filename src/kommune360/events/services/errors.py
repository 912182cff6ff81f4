"""What the registration services raise; ``message`` is shown to the person."""


class RegistrationError(Exception):
    """A registration could not be made or changed; ``message`` is shown to the person."""

    def __init__(self, message, registration=None):
        super().__init__(message)
        self.message = message
        self.registration = registration


class RegistrationClosed(RegistrationError):
    pass


class AlreadyRegistered(RegistrationError):
    pass


class EventFull(RegistrationError):
    pass


class SessionFull(RegistrationError):
    def __init__(self, message, session=None):
        super().__init__(message)
        self.session = session


class OfferNotValid(RegistrationError):
    pass


class ConfirmationInvalid(RegistrationError):
    """The link of a confirmation mail is forged, damaged or for another event."""


class ConfirmationExpired(ConfirmationInvalid):
    pass
