"""The jury's screens in the Wagtail admin (``admin_views``)."""
