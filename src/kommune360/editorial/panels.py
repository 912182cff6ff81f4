"""An admin panel that shows editors how often an episode or publication was downloaded."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class DownloadStatsPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Downloads"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/admin/download_stats_panel.html"

        def get_context_data(self, parent_context=None):
            from .downloads import downloads_of

            context = super().get_context_data(parent_context)
            page = self.instance
            today = timezone.localdate()
            if page.pk:
                context["stats"] = {
                    "total": downloads_of(page),
                    "last_30_days": downloads_of(page, since=today - timedelta(days=29)),
                    "this_year": downloads_of(page, since=today.replace(month=1, day=1)),
                }
            return context
