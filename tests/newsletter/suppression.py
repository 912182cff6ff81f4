"""Whether an address is on the newsletter's suppression list, as the tests check it."""

from kommune360.newsletter.models import SuppressedAddress, email_hash


def is_suppressed(address: str) -> bool:
    return SuppressedAddress.objects.filter(email_hash=email_hash(address)).exists()
