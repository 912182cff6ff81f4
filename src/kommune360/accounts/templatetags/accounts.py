from django import template
from django.urls import NoReverseMatch, reverse

from kommune360.core.registry import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def account_pages(context):
    """The pages other apps add to "Mein Konto" (registry ``AccountPage``) that apply to
    the person logged in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    pages = []
    for entry in registry.account_pages():
        if entry.applies is not None and not (user is not None and entry.applies(user)):
            continue
        try:
            pages.append({"label": entry.label, "url": reverse(entry.url_name)})
        except NoReverseMatch:
            continue
    return pages
