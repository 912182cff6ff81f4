"""Episodes made when audio was a Wagtail document keep playing after migrations 0006–0008:
live page and revisions get a copy of the file in the episode's own field, and the
download and the feed serve it. Going back makes documents of the files again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kommune360.editorial.models import EpisodePage
from tests.factories.editorial import EpisodePageFactory, mp3

BEFORE = ("editorial", "0005_search_terms_offer_link")
AFTER = ("editorial", "0008_episode_audio_upload")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_episodes_with_document_audio_keep_their_audio(client, podcast):
    episode = EpisodePageFactory(parent=podcast, slug="folge", duration=10)
    episode.title = "Entwurf mit neuem Titel"
    episode.save_revision()  # a draft on top of the live page
    sound = mp3(10)

    old = migrate(BEFORE)  # the files become documents, as before this change
    Document = old.get_model("wagtaildocs", "Document")
    OldEpisode = old.get_model("editorial", "EpisodePage")
    document = Document.objects.get(pk=OldEpisode.objects.get(pk=episode.pk).audio_id)
    with document.file.open("rb") as stored:
        assert stored.read() == sound
    Revision = old.get_model("wagtailcore", "Revision")
    contents = [r.content for r in Revision.objects.filter(object_id=str(episode.pk))]
    assert {c["audio"] for c in contents} == {document.pk}
    assert not any("audio_file" in c for c in contents)

    migrate(AFTER)

    episode = EpisodePage.objects.get(pk=episode.pk)
    assert episode.audio_file.name.startswith("podcast/")
    assert episode.audio_size == len(sound)
    with episode.audio_file.open("rb") as stored:
        assert stored.read() == sound
    draft = episode.get_latest_revision_as_object()
    assert draft.title == "Entwurf mit neuem Titel"
    assert draft.audio_file.name == episode.audio_file.name
    response = client.get(f"/download/{episode.pk}/folge.mp3")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sound
    feed = client.get("/podcast/feed.xml").content.decode()
    assert f'length="{len(sound)}" type="audio/mpeg"' in feed
