"""What every kommune360 page shares: Open Graph and schema.org metadata."""

from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from kommune360.core.languages import content_language
from kommune360.core.shared_parts import SharedViewRestrictions


class MetadataMixin(SharedViewRestrictions, models.Model):
    """Open Graph and schema.org JSON-LD for a page (``editorial/includes/meta.html``);
    its view restrictions from the shared parts when it is served."""

    og_type = "website"
    schema_type = "WebPage"

    class Meta:
        abstract = True

    def absolute_url(self, request):
        """The page's address on the host the visitor asked for (canonical, feeds)."""
        return request.build_absolute_uri(self.get_url(request))

    def get_description(self):
        if self.search_description:
            return self.search_description
        intro = getattr(self, "intro", "") or getattr(self, "teaser", "") or ""
        return Truncator(strip_tags(str(intro))).chars(200)

    def get_share_image(self):
        """The image used for Open Graph (a wagtailimages Image or None)."""
        return getattr(self, "image", None)

    def structured_data(self, request, image_url=None):
        data = {
            "@context": "https://schema.org",
            "@type": self.schema_type,
            "name": self.title,
            "url": self.absolute_url(request),
            "inLanguage": content_language(self),
        }
        if description := self.get_description():
            data["description"] = description
        if image_url:
            data["image"] = image_url
        if self.first_published_at:
            data["datePublished"] = self.first_published_at.isoformat()
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        data.update(self.extra_structured_data(request))
        return data

    def extra_structured_data(self, request):
        return {}

    def search_keywords(self):
        """Further words the site search finds the page by (names, topics …)."""
        return []

    def search_text(self):
        """Plain text of the page for search snippets (no rendering, no queries)."""
        parts = [self.search_description]
        for field in ("teaser", "intro", "description", "show_notes", "transcript"):
            parts.append(str(getattr(self, field, "") or ""))
        body = getattr(self, "body", None)
        if body is not None:
            for block in body:
                parts.append(_block_text(block.value))
        return " ".join(strip_tags(part) for part in parts if part)


def _block_text(value):
    if hasattr(value, "source"):
        return value.source
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_block_text(v) for v in value.values())
    if isinstance(value, (list, tuple)) or value.__class__.__name__ == "ListValue":
        return " ".join(_block_text(v) for v in value)
    return ""


READING_WORDS_PER_MINUTE = 200
READING_TIME_HELP = _("Wird beim Speichern aus dem Text berechnet.")
