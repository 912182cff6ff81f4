from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


event_list = calendar_feed = my_registrations = registration_detail = registration_cancel = _todo
offer_accept = offer_decline = registration_ics = postcard = event_detail = register = _todo
register_confirm = event_ics_view = _todo
