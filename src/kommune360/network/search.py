"""German search in the directory: the stems (``core.german``) of every field a
profile opens to members, stored as ``ProfileTerm`` rows; a closed field is never
indexed, so searching cannot reveal it. A query word matches the beginning of a stem
(editors' synonyms included, ``core.synonyms``), every word must match.
"""

from django.db import transaction
from django.db.models import Q

from kommune360.core import german, synonyms

from .models import Profile, ProfileTerm
from .visibility import MEMBER, may_see


def profile_texts(profile) -> list[str]:
    """The texts of ``profile`` that members may see (topics loaded)."""
    texts = []
    if may_see(profile, "name", MEMBER):
        texts.append(profile.name)
    if may_see(profile, "role", MEMBER) and profile.role:
        texts.append(str(profile.get_role_display()))
    if may_see(profile, "municipality", MEMBER) and profile.municipality_id:
        municipality = profile.municipality
        texts += [municipality.name, municipality.get_state_display()]
        if municipality.district_id:
            texts.append(municipality.district.name)
    if may_see(profile, "topics", MEMBER):
        texts += [topic.name for topic in profile.topics.all()]
    if may_see(profile, "offers", MEMBER):
        texts += [profile.offers, *(topic.name for topic in profile.offers_topics.all())]
    if may_see(profile, "seeks", MEMBER):
        texts += [profile.seeks, *(topic.name for topic in profile.seeks_topics.all())]
    if may_see(profile, "languages", MEMBER):
        texts.append(profile.languages)
    return texts


def index_profile(profile) -> None:
    terms = set()
    for text in profile_texts(profile):
        terms.update(german.stems(text))
    terms.discard("")
    with transaction.atomic():
        ProfileTerm.objects.filter(profile=profile).delete()
        ProfileTerm.objects.bulk_create(ProfileTerm(profile=profile, term=t) for t in sorted(terms))


def reindex_all() -> int:
    profiles = Profile.objects.select_related("municipality__district").prefetch_related(
        "topics", "offers_topics", "seeks_topics"
    )
    count = 0
    for profile in profiles:
        index_profile(profile)
        count += 1
    return count


def parse(query: str):
    return synonyms.parse_query(query)


def _prefix_q(stem):
    upper = stem[:-1] + chr(ord(stem[-1]) + 1)
    return Q(term__gte=stem, term__lt=upper, term__startswith=stem)


def matching(queryset, parsed):
    """Profiles of ``queryset`` having every word (each one of its alternatives)."""
    for alternatives in parsed:
        word = Q()
        for alternative in alternatives:
            every = Q()
            for stem in german.prefixes(alternative):
                every &= Q(pk__in=ProfileTerm.objects.filter(_prefix_q(stem)).values("profile_id"))
            word |= every
        queryset = queryset.filter(word)
    return queryset
