from django import template
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import AnonymousUser
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe

from .. import dates, languages, text
from ..contributions import render_home_section, render_home_sections, render_page_extras
from ..shared_parts import csrf_placeholder, render_shared

register = template.Library()


@register.filter(expects_localtime=True)
def local_date(value, name="DATE_FORMAT"):
    """A date or time in the active language's named format (``kommune360/formats``):
    ``{{ event.starts_at|local_date:"LONG_DATETIME_FORMAT" }}``."""
    return dates.local_date(value, name)


@register.simple_tag
def content_lang(obj):
    """`` lang="de"`` on an element whose text comes from ``obj`` when that text is not
    in the page's language: ``<h2{% content_lang offer %}>{{ offer.title }}</h2>``."""
    return languages.lang_attribute(obj)


@register.filter
def hours(value):
    """``{{ module.hours|hours }}``: "1 Stunde", "1,5 Stunden" (``core.text.hours``)."""
    return text.hours(value)


@register.filter
def in_language_of(text, obj):
    """``text`` (escaped) in a ``<span lang="de">`` when ``obj``'s text is not in the
    page's language, for places inside a sentence or a list:
    ``{{ term.display_name|in_language_of:term }}``."""
    attribute = languages.lang_attribute(obj)
    if not attribute:
        return conditional_escape(text)
    return format_html("<span{}>{}</span>", attribute, text)


@register.filter
def names_in_language(objects, separator=", "):
    """Objects joined by their ``str`` (a term's name in the page's language), each
    one not in the page's language marked: ``{{ groups|names_in_language }}``."""
    return mark_safe(
        conditional_escape(separator).join(in_language_of(str(obj), obj) for obj in objects)
    )


@register.filter
def shown(page):
    """A Wagtail page as shown in the page's language: its English version (or alias)
    on English pages, so that ``{% pageurl item.page|shown %}`` stays in English."""
    if not languages.is_page(page):
        return page
    return languages.counterpart(page) or page


@register.simple_tag(takes_context=True)
def language_links(context):
    """``{% language_links as links %}``: the language switch of the layout, to this
    page's translation if it is a Wagtail page (``core.languages.language_links``)."""
    return languages.language_links(context["request"], context.get("page"))


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
    def __init__(self, nodelist, names, site_wide=False):
        self.nodelist = nodelist
        self.names = names
        self.site_wide = site_wide

    def render(self, context):
        request = context.get("request")
        key = ":".join(str(name.resolve(context)) for name in self.names)
        if request is not None:
            key = f"part:{key}:" + ("*" if self.site_wide else request.get_full_path())
        html = render_shared(request, key, lambda: self._render_as_anybody(context))
        if csrf_placeholder() in html:
            html = mark_safe(html.replace(csrf_placeholder(), str(context.get("csrf_token"))))
        return html

    def _render_as_anybody(self, context):
        # What the page reads for its parts is read now, when one is rendered, and not
        # for the requests that get every part from the shared parts.
        page = context.get("page")
        if hasattr(page, "read_for_shared_parts"):
            page.read_for_shared_parts(context.get("request"))
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
    their own token. A page with a ``read_for_shared_parts(request)`` method reads what
    its parts need there (e.g. prefetches), before the first part it renders.
    The name and arguments tell parts of one address apart (e.g. a page's id); a part
    that is alike on every address of the site (the layout's footer) ends its arguments
    with ``site_wide`` and is rendered once for all of them."""
    bits = token.split_contents()[1:]
    site_wide = bool(bits) and bits[-1] == "site_wide"
    names = [parser.compile_filter(bit) for bit in bits[: -1 if site_wide else None]]
    if not names:
        raise template.TemplateSyntaxError("shared_part needs a name")
    nodelist = parser.parse(("endshared_part",))
    parser.delete_first_token()
    return SharedPartNode(nodelist, names, site_wide)
