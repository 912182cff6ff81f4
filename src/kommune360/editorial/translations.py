"""Pages in German and English (Wagtail's localisation, decision 0080).

German is the pages' language; English pages live in a tree of their own under the
English home page (``/en/``). Every German page has a counterpart there: an *alias*
that shows the German page (kept up to date by Wagtail on every publication) until an
editor turns it into an English translation (``wagtail.contrib.simple_translation``,
``WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE``: pages created in the admin get their alias
at once). ``sync_page_tree()`` gives every other German page one — after each migration
(existing sites, pages created in code) and after the demo is loaded.

Routing (``core.languages.route_page``): ``/en/<path>`` is looked up in the English
tree first; a path that is not there is looked up among the German pages.
"""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from kommune360.core import languages
from kommune360.core.cache import invalidate_pages

from . import search_index


@transaction.atomic
def sync_page_tree() -> int:
    """Give every German page without one an alias in every other content language,
    parents first; returns how many were made. Idempotent."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return 0
    default = Locale.objects.filter(pk=languages.locale_id(settings.LANGUAGE_CODE)).first()
    if default is None:  # an emptied database (tests flush it)
        return 0
    made = 0
    for locale in Locale.objects.exclude(pk=default.pk):
        before = set(Page.objects.filter(locale=locale).values_list("pk", flat=True))
        present = Page.objects.filter(locale=locale).values("translation_key")
        missing = (
            Page.objects.filter(locale=default, depth__gt=1)
            .exclude(translation_key__in=present)
            .order_by("path")
        )
        for page in missing:
            page = page.specific
            if not page.has_translation(locale):  # a child's copy may have made it
                page.copy_for_translation(locale, copy_parents=True, alias=True)
                made += 1
        # Wagtail sends no signal for a new alias: the site search learns of them here.
        new = Page.objects.filter(locale=locale).exclude(pk__in=before).live().specific()
        search_index.index_pages(list(new))
    if made:
        Site.clear_site_root_paths_cache()
        invalidate_pages()  # no publication signal told the page cache and shared routes
    share_rights_and_workflow()
    return made


def share_rights_and_workflow():
    """The roles' page permissions and the workflow "Redaktion → Freigabe" hold on the
    German home page (migration 0004); its versions in the other languages get the
    same, so that editors translate and the Administration approves there too."""
    from wagtail.models import GroupPagePermission, WorkflowPage

    for site in Site.objects.select_related("root_page"):
        home = site.root_page
        others = home.get_translations().exclude(pk=home.pk)
        rights = list(GroupPagePermission.objects.filter(page=home))
        workflow = WorkflowPage.objects.filter(page=home).first()
        for other in others:
            for right in rights:
                GroupPagePermission.objects.get_or_create(
                    group_id=right.group_id, page=other, permission_id=right.permission_id
                )
            if workflow is not None:
                WorkflowPage.objects.get_or_create(
                    page=other, defaults={"workflow_id": workflow.workflow_id}
                )


def sync_after_migrate(sender, using="default", **kwargs):
    """``post_migrate``: existing pages get their counterparts (nothing to do on an
    empty database, nor after migrating the tables away)."""
    from django.db import connections

    languages.forget_locales()  # a flush sends this signal too, and empties the table
    if Locale._meta.db_table in connections[using].introspection.table_names():
        sync_page_tree()
