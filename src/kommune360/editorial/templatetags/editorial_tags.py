from django import template
from django.template.defaultfilters import filesizeformat

from kommune360.core.languages import content_language

register = template.Library()

OG_IMAGE_SPEC = "fill-1200x630|format-jpeg"
OG_LOCALES = {"de": "de_DE", "en": "en_GB"}


@register.inclusion_tag("editorial/includes/meta.html", takes_context=True)
def page_meta(context, page):
    """Open Graph tags and schema.org JSON-LD of a page."""
    request = context["request"]
    image = page.get_share_image() if hasattr(page, "get_share_image") else None
    image_data = None
    if image is not None:
        rendition = image.get_rendition(OG_IMAGE_SPEC)
        image_data = {
            "url": request.build_absolute_uri(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        }
    data = page.structured_data(request, image_data and image_data["url"])
    site_settings = context.get("site_settings")
    return {
        "page": page,
        "url": page.absolute_url(request),
        "description": page.get_description(),
        "og_type": page.og_type,
        "image": image_data,
        "site_name": getattr(site_settings, "network_name", "") if site_settings else "",
        "locale": OG_LOCALES.get(content_language(page), "de_DE"),
        "json_ld": data,
    }


@register.filter
def file_size(value):
    """File size in German notation, e.g. "1,2 MB"."""
    return filesizeformat(value or 0)
