"""Content-Security-Policy: the strict site policy everywhere, a separate one for /admin/.

The public site runs no inline script and no inline style (``CONTENT_SECURITY_POLICY``).
The Wagtail admin still renders a few inline scripts and style attributes (see
docs/decisions/0002-admin-csp.md), so requests under ``KOMMUNE360_ADMIN_CSP_PREFIXES``
get ``KOMMUNE360_ADMIN_CSP`` instead: the same sources (this site only, no eval, no
plugins), plus inline script and style, and framing by the site itself for previews.

Wagtail renders previews by passing a dummy request for the page's public URL through
the middleware (``request.is_dummy``); the preview gets the strict site policy, except
that the admin may show it in a frame.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if is_admin_path(request.path_info):
            return PolicyParts(settings.KOMMUNE360_ADMIN_CSP, parts.update, parts.replace, None)
        if getattr(request, "is_dummy", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts


def is_admin_path(path):
    return path.startswith(tuple(settings.KOMMUNE360_ADMIN_CSP_PREFIXES))
