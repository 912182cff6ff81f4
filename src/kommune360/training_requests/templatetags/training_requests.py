from django import template

from kommune360.training_requests.services import request_url

register = template.Library()


@register.simple_tag
def training_request_url(obj):
    """``{% training_request_url offer as url %}``: the request form, or "" if ``obj``
    lacks the facts a training request needs (then the page shows no link)."""
    return request_url(obj)
