import pytest
from django.utils import timezone

from kommune360.core.certificates import Certificate
from kommune360.learning.demo import load_learning_demo
from kommune360.learning.models import Application, Cohort, LearningPath


@pytest.mark.django_db
def test_demo_paths_cohorts_and_certificates_idempotent(home_page):
    load_learning_demo()
    load_learning_demo()
    assert set(LearningPath.objects.values_list("title", flat=True)) == {
        "Lernpfad Change",
        "Lernpfad Führung",
    }
    today = timezone.localdate()
    for path in LearningPath.objects.all():
        cohorts = list(Cohort.objects.filter(path=path))
        assert len(cohorts) == 2
        assert sum(c.is_finished(today) for c in cohorts) == 1
        assert sum(c.applications_open(today) for c in cohorts) == 1
    assert Application.objects.count() == 12
    # five of six per finished cohort attended enough
    assert Certificate.objects.filter(revoked_at=None).count() == 10


@pytest.mark.django_db
def test_demo_quote_published_on_change_only(client, home_page):
    from kommune360.learning.models import Feedback, Material

    load_learning_demo()
    load_learning_demo()
    quote = Feedback.objects.get(is_published=True)
    assert quote.cohort.path.slug == "change" and quote.cohort.title == "Kohorte Frühjahr 2024"
    assert quote.attribution_line == "Martin Mende-Döring, Landkreis Augsburg"
    html = client.get("/lernpfade/change/").content.decode()
    assert "Martin Mende-Döring, Landkreis Augsburg" in html and "Schwung" in html
    assert "Mende-Döring" not in client.get("/lernpfade/fuehrung/").content.decode()
    assert Material.objects.count() == 9  # one link per module of both paths
    assert all(c.facilitators.count() == 1 for c in Cohort.objects.all())
