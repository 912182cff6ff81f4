from django import template
from django.urls import NoReverseMatch, reverse

from kommune360.core.registry import registry

register = template.Library()


@register.simple_tag
def account_pages():
    """The pages other apps add to "Mein Konto" (registry ``AccountPage``)."""
    pages = []
    for entry in registry.account_pages():
        try:
            pages.append({"label": entry.label, "url": reverse(entry.url_name)})
        except NoReverseMatch:
            continue
    return pages
