"""The link to the request form on the detail page of every training-request source.

Registered as the ``PageExtra`` "training_request" in ``TrainingRequestsConfig.ready()``;
pages show it with ``{% page_extras obj "actions" style="primary" %}`` (styles: a
``primary`` or ``secondary`` button, or a ``link``).
"""

from kommune360.core.registry import registry

from .services import request_url

TEMPLATE = "training_requests/_link.html"
STYLES = ("primary", "secondary", "link")


def source_models():
    return [source.model for source in registry.training_request_sources()]


def has_request(obj):
    return bool(request_url(obj))


def link_context(context, obj, style="secondary"):
    return {"url": request_url(obj), "style": style if style in STYLES else "secondary"}
