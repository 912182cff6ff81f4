from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _teaser(page):
    from kommune360.core.registry import teaser

    return teaser(
        title=page.title,
        text=getattr(page, "teaser", "") or page.search_description,
        path=page.url,
        kind=page._meta.verbose_name,
        date=page.first_published_at,
    )


class EditorialConfig(AppConfig):
    name = "kommune360.editorial"
    label = "editorial"
    verbose_name = _("Magazin, Podcast, Publikationen")

    def ready(self):
        from django.db.models.signals import post_migrate

        from kommune360.core.registry import (
            Commentable,
            DemoStep,
            Figure,
            NavigationEntry,
            NewsletterItem,
            registry,
        )

        from . import api_resources, downloads, search_index  # noqa: F401 (search_index: signal receivers)
        from .translations import sync_after_migrate

        # Existing pages get their English counterparts (editorial.translations).
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="editorial-sync")
        from .demo import load_editorial_demo
        from .models import ArticlePage, EpisodePage, PublicationPage

        registry.add(DemoStep("editorial", load_editorial_demo, order=20))
        registry.add(
            Figure(
                "podcast_downloads",
                _("Downloads der Podcastfolgen"),
                downloads.podcast_downloads,
                unit=_("Downloads"),
                stage=1,
                method=_(
                    "Gezählt nach den Regeln des IAB für Podcasts: eine Folge je Gerät und "
                    "Tag, erst wenn eine Minute geladen ist, ohne Adressen zu speichern."
                ),
            )
        )
        registry.add(
            Figure(
                "publication_downloads",
                _("Downloads der Publikationen"),
                downloads.publication_downloads,
                unit=_("Downloads"),
                stage=1,
                method=_(
                    "Vollständige Downloads der Publikationen, eine Datei je Gerät und Tag, "
                    "ohne Adressen zu speichern."
                ),
            )
        )
        registry.add(Commentable(ArticlePage, _("Magazinartikel")))
        registry.add(Commentable(PublicationPage, _("Publikation")))
        registry.add(NewsletterItem(ArticlePage, _("Magazinartikel"), _teaser))
        registry.add(NewsletterItem(EpisodePage, _("Podcastfolge"), _teaser))
        registry.add(NewsletterItem(PublicationPage, _("Publikation"), _teaser))
        registry.add(NavigationEntry(_("Magazin"), "editorial:magazine", order=40))
        registry.add(NavigationEntry(_("Podcast"), "editorial:podcast", order=50))
        registry.add(NavigationEntry(_("Publikationen"), "editorial:publications", order=60))
        registry.add(NavigationEntry(_("Suche"), "editorial:search", order=90))
        api_resources.register()
