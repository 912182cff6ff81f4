from django import template

register = template.Library()


@register.inclusion_tag("newsletter/_signup_form.html")
def newsletter_signup_form(form_id="home"):
    """The sign-up form for any page, e.g. the home page: ``{% newsletter_signup_form %}``."""
    from kommune360.newsletter.forms import SignupForm

    return {"form": SignupForm(auto_id=f"nl-{form_id}-%s"), "form_id": form_id}


@register.simple_tag
def web_block_template(block_type):
    return f"newsletter/web/{block_type}.html"
