"""The one permission check of the apps' own admin views (``<app>/admin_views.py``).

Wagtail's admin URLs already send anonymous visitors to the login and people without
admin access away; this decorator adds the model permission a view needs, and a
second one for POST where reading and changing differ (403 otherwise).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied


def admin_permission_required(permission, *, for_post=None):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            if for_post and request.method == "POST" and not request.user.has_perm(for_post):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.admin_permission = permission  # for tests over every admin URL
        return wrapped

    return decorator
