from django import template
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import AnonymousUser
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

from .. import dates
from ..contributions import render_home_section, render_home_sections, render_page_extras
from ..shared_parts import csrf_placeholder, render_shared

register = template.Library()


@register.filter(expects_localtime=True)
def local_date(value, name="DATE_FORMAT"):
    """A date or time in the active language's named format (``kommune360/formats``):
    ``{{ event.starts_at|local_date:"LONG_DATETIME_FORMAT" }}``."""
    return dates.local_date(value, name)


@register.filter
def same_day(first, second):
    """``{% if event.starts_at|same_day:event.ends_at %}``: one calendar day in Berlin."""
    return dates.same_day(first, second)


@register.filter
def widget_type(bound_field):
    return bound_field.field.widget.__class__.__name__.lower()


@register.simple_tag
def kern_widget(bound_field, css_class):
    """Render a field's widget with the KERN class and the ARIA links to hint and error."""
    attrs = {"class": css_class}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
        attrs["aria-invalid"] = "true"
        attrs["class"] += f" {css_class}--error"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def with_site_name(title, site_name):
    """The document title: "Seite – Netzwerk", the network's name once when the page is
    the network itself (its home page) or has no title."""
    title = mark_safe(title.strip()) if isinstance(title, SafeData) else title.strip()
    if not title or title == str(site_name).strip():
        return format_html("{}", site_name)
    return format_html("{} – {}", title, site_name)


@register.inclusion_tag("core/includes/site_icons.html")
def site_icons(site_settings):
    """The tab icon and the home-screen icon: the operator's image from the site
    settings, otherwise kommune360's own mark."""
    return {"icon": site_settings.icon}


@register.simple_tag(takes_context=True)
def page_extras(context, obj, slot, **options):
    """What other apps add to the detail page of ``obj`` in ``slot`` ("actions", "end"):
    ``{% page_extras offer "end" %}``; keyword arguments go to each extra's context."""
    return render_page_extras(context, obj, slot, **options)


@register.simple_tag(takes_context=True)
def home_section(context, key):
    """The home section another app registered under ``key`` (placed by an editor)."""
    return render_home_section(context, key)


@register.simple_tag(takes_context=True)
def home_sections(context, exclude=()):
    """Every registered home section but those in ``exclude`` (placed elsewhere)."""
    return render_home_sections(context, exclude)


class SharedPartNode(template.Node):
    def __init__(self, nodelist, names):
        self.nodelist = nodelist
        self.names = names

    def render(self, context):
        request = context.get("request")
        key = ":".join(str(name.resolve(context)) for name in self.names)
        if request is not None:
            key = f"part:{key}:{request.get_full_path()}"
        html = render_shared(request, key, lambda: self._render_as_anybody(context))
        if csrf_placeholder() in html:
            html = mark_safe(html.replace(csrf_placeholder(), str(context.get("csrf_token"))))
        return html

    def _render_as_anybody(self, context):
        # Whoever renders it first, the part shows what an anonymous visitor sees; a
        # form's CSRF token is the visitor's own, filled in after (not stored).
        anybody = AnonymousUser()
        with context.push(user=anybody, perms=PermWrapper(anybody), csrf_token=csrf_placeholder()):
            return self.nodelist.render(context)


@register.tag
def shared_part(parser, token):
    """``{% shared_part "name" obj.pk … %}…{% endshared_part %}``: the enclosed part is
    rendered once per page-cache generation, address and language and then shared by
    every visitor, logged in or not (``core.shared_parts``). Inside, ``user`` is an
    anonymous visitor, whoever looks; ``{% csrf_token %}`` inside gives each visitor
    their own token.
    The name and arguments tell parts of one address apart (e.g. a page's id)."""
    names = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not names:
        raise template.TemplateSyntaxError("shared_part needs a name")
    nodelist = parser.parse(("endshared_part",))
    parser.delete_first_token()
    return SharedPartNode(nodelist, names)
