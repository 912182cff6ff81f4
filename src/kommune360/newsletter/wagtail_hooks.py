"""The newsletter in the Wagtail admin: issues, subscribers, topics, import/export,
dispatch (test mail, start now or at a planned time after a confirmation, pause, resume,
progress)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kommune360.core.admin_ui import register_listing_buttons, register_menu_item

from . import admin_views
from .models import Campaign, Subscriber, Topic


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "mail"
    menu_label = _("Ausgaben")
    list_display = ["subject", "issue_date", "state"]
    list_filter = ["state"]
    search_fields = ["subject"]
    add_to_admin_menu = False


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """Addresses come in only by double opt-in or by an import with a legal basis."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Abonnent:innen")
    list_display = ["email", "state", "basis", "created"]
    list_filter = ["state", "basis", "topics"]
    search_fields = ["email"]
    list_per_page = 50
    # Address, state and topics change only through the services (consent history).
    panels = [FieldPanel("name")]

    copy_view_enabled = False


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Themen")


class NewsletterGroup(SnippetViewSetGroup):
    items = (CampaignViewSet, SubscriberViewSet, TopicViewSet)
    menu_icon = "mail"
    menu_label = _("Newsletter")
    menu_name = "newsletter"
    menu_order = 250


register_permission_policy(Subscriber, NoAddPermissionPolicy(Subscriber))
register_snippet(NewsletterGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "newsletter/ausgabe/<id:pk>/versand/",
            admin_views.dispatch,
            name="newsletter_dispatch",
        ),
        path(
            "newsletter/ausgabe/<id:pk>/versand/bestaetigen/",
            admin_views.confirm_sending,
            name="newsletter_confirm_sending",
        ),
        path("newsletter/import/", admin_views.import_subscribers, name="newsletter_import"),
        path("newsletter/import/<id:pk>/", admin_views.import_job, name="newsletter_import_job"),
        path("newsletter/export.csv", admin_views.export_subscribers, name="newsletter_export"),
        path(
            "newsletter/abonnent/<id:pk>/historie/",
            admin_views.history,
            name="newsletter_history",
        ),
    ]


register_listing_buttons(
    Campaign,
    "newsletter.change_campaign",
    [(_("Test und Versand"), "newsletter_dispatch", "mail")],
    in_dropdown=False,
)
register_listing_buttons(
    Subscriber,
    "newsletter.view_subscriber",
    [(_("Einwilligungshistorie"), "newsletter_history", "history")],
    in_dropdown=False,
)
register_menu_item(
    _("Newsletter-Import"),
    "newsletter_import",
    icon="upload",
    order=251,
    permission="newsletter.add_subscriber",
)
