"""Organiser screens in the Wagtail admin (Redaktion): events and their participants."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from kommune360.core.admin_ui import register_listing_buttons

from . import admin_views, services
from .models import Event


class EventEditView(EditView):
    """A changed capacity is written by ``services.update_capacity`` (under the event
    lock, with an audit entry naming the editor); new places go to the waitlist."""

    def save_instance(self):
        capacity = self.form.instance.capacity
        changed = "capacity" in self.form.changed_data
        if changed:
            self.form.instance.capacity = self.form.initial.get("capacity")
        instance = super().save_instance()
        if changed:
            instance = services.update_capacity(instance, capacity, actor=self.request.user)
        return instance


class EventViewSet(SnippetViewSet):
    model = Event
    edit_view_class = EventEditView
    icon = "date"
    menu_label = _("Veranstaltungen")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "starts_at", "kind", "capacity", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "summary"]
    ordering = ["-starts_at"]
    copy_view_enabled = True


register_snippet(EventViewSet)


register_listing_buttons(
    Event,
    "events.view_registration",
    [
        (_("Teilnehmende"), "events_participants", "group"),
        (_("Check-in"), "events_checkin", "tick"),
    ],
)


@hooks.register("register_admin_urls")
def register_event_admin_urls():
    return [
        path(
            "veranstaltungen/<id:event_id>/teilnehmende/",
            admin_views.participants,
            name="events_participants",
        ),
        path(
            "veranstaltungen/<id:event_id>/export.<str:fmt>",
            admin_views.export,
            name="events_export",
        ),
        path(
            "veranstaltungen/<id:event_id>/nachricht/",
            admin_views.message,
            name="events_message",
        ),
        path(
            "veranstaltungen/<id:event_id>/absagen/",
            admin_views.cancel_event,
            name="events_cancel_event",
        ),
        path(
            "veranstaltungen/<id:event_id>/namensschilder.pdf",
            admin_views.badges,
            name="events_badges",
        ),
        path(
            "veranstaltungen/<id:event_id>/check-in/",
            admin_views.checkin,
            name="events_checkin",
        ),
        path(
            "veranstaltungen/check-in/<str:token>/",
            admin_views.checkin_scan,
            name="events_checkin_scan",
        ),
        path(
            "veranstaltungen/<id:event_id>/bescheinigungen/",
            admin_views.certificates,
            name="events_certificates",
        ),
        path(
            "veranstaltungen/bescheinigung/<id:certificate_id>.pdf",
            admin_views.certificate_pdf,
            name="events_certificate_pdf",
        ),
    ]
