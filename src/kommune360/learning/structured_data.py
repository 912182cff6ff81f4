"""schema.org JSON-LD of a learning path's page: a Course with its cohorts as
CourseInstance (dates, place or online, facilitators)."""

from django.conf import settings


def path_json_ld(path, cohorts, modules, network_name):
    url = settings.SITE_URL + path.get_absolute_url()
    provider = {"@type": "Organization", "name": path.provider or network_name}
    if not path.provider:
        provider["url"] = settings.SITE_URL
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": path.title,
        "description": path.summary or path.title,
        "url": url,
        "provider": provider,
        "offers": {
            "@type": "Offer",
            "category": "Free" if path.is_free else "Paid",
            "price": str(path.cost),
            "priceCurrency": "EUR",
        },
    }
    if path.goal_list:
        data["teaches"] = path.goal_list
    audience = [group.name for group in path.target_groups.all()]
    if audience:
        data["audience"] = {"@type": "Audience", "audienceType": ", ".join(audience)}
    hours = sum((module.hours for module in modules), 0)
    if hours:
        data["timeRequired"] = f"PT{int(hours)}H"
    instances = []
    for cohort in cohorts:
        instance = {
            "@type": "CourseInstance",
            "name": cohort.title,
            "startDate": cohort.starts_on.isoformat(),
            "endDate": cohort.ends_on.isoformat(),
            "courseMode": "online" if cohort.is_online else "onsite",
        }
        if cohort.is_online:
            instance["location"] = {"@type": "VirtualLocation", "url": url}
        elif cohort.place:
            instance["location"] = {"@type": "Place", "name": cohort.place}
        if cohort.facilitator_names:
            instance["instructor"] = [
                {"@type": "Person", "name": name.strip()}
                for name in cohort.facilitator_names.split(",")
                if name.strip()
            ]
        instances.append(instance)
    if instances:
        data["hasCourseInstance"] = instances
    return data
