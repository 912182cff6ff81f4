from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group

from kommune360.core.mail import queue_email

from . import roles


class AccountAdapter(DefaultAccountAdapter):
    """allauth, adapted: mail goes through the task worker; new people become members."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_email(message.subject, message.to, message.body, html=html)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(Group.objects.get_or_create(name=roles.MEMBER)[0])
        return user
