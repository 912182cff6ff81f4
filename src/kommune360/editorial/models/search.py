"""The German search index of the site search (see ``editorial.search_index``)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class SearchTerm(models.Model):
    """One Snowball-stemmed word of a page or of a registered model's object.

    Pages are stored under the content type of ``wagtailcore.Page`` (one id space for
    every page type); other models under their own. Written only by
    ``editorial.search_index``; ``weight`` is 2 for words of the title, 1 otherwise.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    term = models.CharField(max_length=64)
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "term", "object_id"],
                name="editorial_searchterm_unique",
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="editorial_searchterm_object")
        ]

    def __str__(self):
        return self.term
