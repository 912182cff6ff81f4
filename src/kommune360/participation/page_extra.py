"""The Mitdenken block on the detail page of everything people may comment on.

Registered as the ``PageExtra`` "contributions" in ``ParticipationConfig.ready()`` for
every ``Commentable`` model; pages show it with ``{% page_extras obj "end" %}``.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.functional import SimpleLazyObject

from kommune360.core.registry import registry

from .forms import ContributionForm
from .models import Contribution, Status, kind_names
from .services import premoderation_for
from .targets import commentable_for, sections_of, target_for

PER_PAGE = 20
TEMPLATE = "participation/includes/contributions.html"


def commentable_models():
    return [entry.model for entry in registry.commentables()]


def is_commentable(obj):
    return commentable_for(type(obj)) is not None


def _published(target):
    """The published contributions under ``target``, newest first, with their replies."""
    replies = Contribution.objects.filter(status=Status.PUBLISHED).order_by("published_at", "pk")
    return (
        Contribution.objects.for_target(target.content_type, target.object_id, target.section)
        .public()
        .filter(parent__isnull=True)
        .order_by("-published_at", "-pk")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def contributions_context(
    context, obj, section="", heading_level=2, title=None, collapsed=False, intro=True
):
    """The published contributions under ``obj`` (or one of its sections) and the form.

    Options of the page: ``{% page_extras offer "end" %}`` or
    ``{% page_extras analysis "end" section="matrix" heading_level=3 collapsed=True %}``
    (``collapsed``: the form opens from a summary line, for pages with several lists;
    ``intro=False``: without the introduction, for a page that is itself a call).
    """
    request = context.get("request")
    target = target_for(obj, section)
    if target is None:
        return {"target": None}
    page_param = f"mitdenken-{target.section or 'seite'}"
    user = getattr(request, "user", None)
    # The list and the form are made only where they are rendered, not when they come
    # from the shared parts.
    page = SimpleLazyObject(
        lambda: Paginator(_published(target), PER_PAGE).get_page(
            request.GET.get(page_param) if request else 1
        )
    )
    form = SimpleLazyObject(
        lambda: ContributionForm(
            user=user,
            initial={
                "content_type": target.content_type.pk,
                "object_id": target.object_id,
                "section": target.section,
            },
            auto_id=f"id_{target.key}_%s",
        )
    )
    query = request.GET.copy() if request else None
    if query is not None:
        query.pop(page_param, None)
    return {
        "target": target,
        "page": page,
        "page_param": page_param,
        "query": query.urlencode() if query else "",
        "form": form,
        "kind_names": kind_names(),
        "is_member": bool(user and user.is_authenticated),
        "premoderation": SimpleLazyObject(lambda: premoderation_for(target)),
        "heading_level": heading_level,
        "title": title,
        "section_label": dict(sections_of(obj, target.options)).get(target.section, ""),
        "collapsed": collapsed,
        "intro": intro and not collapsed,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }
