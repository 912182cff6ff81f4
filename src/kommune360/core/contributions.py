"""What apps contribute to other apps' pages, rendered from the registry.

A page never loads another app's template tags. It says where contributions go, with
the tag library ``core``:

- ``{% page_extras obj "actions" %}`` / ``{% page_extras obj "end" section="x" %}`` on a
  detail page: every ``PageExtra`` of that slot for the object's class;
- ``{% home_section key %}`` (a section an editor placed) and
  ``{% home_sections exclude=keys %}`` (the others) on the home page: ``HomeSection``.

Each entry brings its own template and context function; apps register them in their
``AppConfig.ready()``. Templates are rendered like an inclusion tag's (in a new context
of the page's), so context processors do not run again and no query is added.
"""

from django.utils.safestring import mark_safe

from .registry import registry


def extras_for(obj, slot):
    """The ``PageExtra`` entries shown for ``obj`` in ``slot``, in their order."""
    return [
        extra
        for extra in registry.page_extras(slot)
        if isinstance(obj, tuple(extra.models())) and (extra.applies is None or extra.applies(obj))
    ]


def _render(context, template_name, values):
    template = context.template.engine.get_template(template_name)
    return template.render(context.new({"request": context.get("request"), **values}))


def render_page_extras(context, obj, slot, **options):
    return mark_safe(
        "".join(
            _render(context, extra.template, extra.context(context, obj, **options))
            for extra in extras_for(obj, slot)
        )
    )


def _render_section(context, section):
    values = section.context(context.get("request")) if section.context else {}
    return _render(context, section.template, values)


def render_home_section(context, key):
    section = next((s for s in registry.home_sections() if s.key == key), None)
    return mark_safe(_render_section(context, section)) if section else ""


def render_home_sections(context, exclude=()):
    return mark_safe(
        "".join(
            _render_section(context, section)
            for section in registry.home_sections()
            if section.key not in exclude
        )
    )
