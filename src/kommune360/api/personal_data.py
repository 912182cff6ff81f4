"""The API's part of a person's data export and of account deletion: their API keys
(never the secret, which is not stored) and the answers kept for retries."""

from .models import ApiToken, IdempotentRequest


def export_personal_data(user):
    return {
        "api_keys": [
            {
                "name": t.name,
                "scope": t.get_scope_display(),
                "created": t.created_at,
                "expires": t.expires_at,
                "revoked": t.revoked_at,
                "last_used": t.last_used_at,
            }
            for t in ApiToken.objects.filter(user=user)
        ]
    }


def erase_personal_data(user):
    IdempotentRequest.objects.filter(token__user=user).delete()
    ApiToken.objects.filter(user=user).delete()
