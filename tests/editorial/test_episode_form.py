"""The episode form in the Wagtail admin: the date starts at today (Berlin), the audio
is uploaded in the form itself (private storage, type and size checked by
``core.uploads``) and its length fills an empty duration; bad files get a German
message, never a server error, and nothing typed is lost."""

import re

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from kommune360.core.storage import PRIVATE
from kommune360.core.uploads import FileSpec
from kommune360.editorial import audio
from kommune360.editorial.models import EpisodePage
from tests.factories.accounts import UserFactory
from tests.factories.editorial import EpisodePageFactory

from . import audio_files

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


def german_episode(slug):
    """The episode the editor made (the admin gives it an English alias at once)."""
    return EpisodePage.objects.get(slug=slug, locale__language_code="de")


@pytest.fixture
def editor(client, home_page):
    client.force_login(UserFactory(roles=["Redaktion"]))
    return client


def add_url(podcast):
    return f"/admin/pages/add/editorial/episodepage/{podcast.pk}/"


def form(upload=None, **fields):
    data = nested_form_data(
        {
            "title": "Mut in Musterstadt",
            "slug": "mut-in-musterstadt",
            "published": "2026-03-02 06:00",
            "teaser": "Eine erfundene Folge aus Musterstadt.",
            "duration": "",
            "season": "",
            "number": "",
            "show_notes": rich_text("<p>Links zur Folge.</p>"),
            "transcript": rich_text("<p><b>Moderation:</b> Willkommen in Musterstadt.</p>"),
            "guests": inline_formset([]),
            "chapters": inline_formset([]),
            "comments": inline_formset([]),
            **fields,
        }
    )
    if upload is not None:
        data["audio_file"] = upload
    return data


def upload(content, name):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def errors(response):
    html = response.content.decode()
    found = re.findall(r'class="error-message">\s*(.*?)\s*</', html, re.S)
    return found or re.findall(r'<p class="error-message">(.*?)</p>', html, re.S)


def test_the_date_of_a_new_episode_is_today_in_berlin(editor, podcast):
    html = editor.get(add_url(podcast)).content.decode()

    value = re.search(r'name="published" value="([^"]+)"', html).group(1)
    assert value.startswith(f"{timezone.localdate(timezone=timezone.get_default_timezone())}")
    # In Berlin: just after midnight there the UTC date is still yesterday's.
    assert timezone.localtime(EpisodePage().published).date() == timezone.localdate()
    # The audio is uploaded here; the document chooser is gone from the form.
    assert 'type="file" name="audio_file"' in html
    assert "document-chooser" not in html.split('name="audio_file"')[0][-2000:]


@pytest.mark.parametrize(
    ("kind", "make", "name", "seconds"),
    [
        ("mp3", audio_files.mp3, "gespraech.mp3", 3),
        ("wav", audio_files.wav, "gespraech.wav", 5),
        ("ogg", audio_files.ogg_opus, "gespraech.opus", 7),
        ("m4a", audio_files.m4a, "gespraech.m4a", 9),
    ],
)
def test_the_duration_is_read_from_the_uploaded_file(editor, podcast, kind, make, name, seconds):
    content = make(seconds)

    response = editor.post(add_url(podcast), form(upload(content, name)))

    assert response.status_code == 302, errors(response)
    episode = german_episode("mut-in-musterstadt")
    assert episode.duration == seconds
    assert episode.audio_size == len(content)
    assert episode.audio_file.name.startswith("podcast/")
    assert episode.audio_file.name.endswith(f".{kind}")
    # Stored privately: only the download view (which counts) serves it.
    assert PRIVATE.exists(episode.audio_file.name)
    with PRIVATE.open(episode.audio_file.name) as stored:
        assert stored.read() == content


def test_a_duration_typed_by_the_editor_is_kept(editor, podcast):
    response = editor.post(add_url(podcast), form(upload(audio_files.wav(2), "f.wav"), duration=95))

    assert response.status_code == 302
    assert german_episode("mut-in-musterstadt").duration == 95


def test_the_name_follows_the_content(editor, podcast):
    # A WAV recording named .mp3 is stored, served and announced as WAV.
    editor.post(add_url(podcast), form(upload(audio_files.wav(2), "Gespräch Folge 1.mp3")))

    episode = german_episode("mut-in-musterstadt")
    assert re.fullmatch(r"podcast/\d{4}/gesprach-folge-1(_\w+)?\.wav", episode.audio_file.name)
    assert episode.audio_type == "audio/wav"


def test_an_uploaded_episode_is_served_counted_and_in_the_feed(editor, client, podcast):
    editor.post(add_url(podcast), form(upload(audio_files.wav(3), "folge.wav")))
    episode = german_episode("mut-in-musterstadt")
    episode.get_latest_revision().publish()
    client.logout()

    page = client.get(episode.url).content.decode()
    assert f'src="/download/{episode.pk}/mut-in-musterstadt.wav"' in page
    download = client.get(f"/download/{episode.pk}/mut-in-musterstadt.wav", HTTP_USER_AGENT=BROWSER)
    assert download.status_code == 200
    assert download["Content-Type"] == "audio/wav"
    assert b"".join(download.streaming_content) == audio_files.wav(3)
    from kommune360.editorial.downloads import downloads_of

    assert downloads_of(episode) == 1
    (entry,) = feedparser.parse(client.get("/podcast/feed.xml").content).entries
    assert entry.enclosures[0].type == "audio/wav"
    assert int(entry.enclosures[0].length) == len(audio_files.wav(3))
    assert entry.itunes_duration == "3"


BROKEN_WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + b"\x00\x01" * 40
BROKEN_MP3 = b"\xff\xfb\x90\x00" + bytes(range(256)) * 8


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (BROKEN_WAV, "folge.wav", "Die Audiodatei lässt sich nicht lesen."),
        (BROKEN_MP3, "folge.mp3", "Die Audiodatei lässt sich nicht lesen."),
        (b"OggS\x00" + b"\x00" * 60, "folge.ogg", "Die Audiodatei lässt sich nicht lesen."),
        (b"Titel;Dauer\nFolge 1;20\n", "folge.mp3", "Diese Art von Datei ist hier nicht möglich"),
        (audio_files.m4a(0), "folge.m4a", "Die Audiodatei lässt sich nicht lesen."),
    ],
    ids=["wav", "mp3", "ogg", "text", "no-length"],
)
def test_an_unreadable_file_is_refused_in_german(editor, podcast, content, name, message):
    response = editor.post(add_url(podcast), form(upload(content, name), teaser="Bleibt stehen."))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Bleibt stehen." in html  # nothing typed is lost
    assert not EpisodePage.objects.exists()
    assert not PRIVATE.exists("podcast")  # nothing was stored


def test_a_too_big_file_is_refused_before_it_is_read(editor, podcast, monkeypatch):
    monkeypatch.setattr(audio, "UPLOAD", FileSpec(kinds=audio.UPLOAD.kinds, max_bytes=1000))

    response = editor.post(add_url(podcast), form(upload(audio_files.wav(1), "folge.wav")))

    assert response.status_code == 200
    assert "Die Datei ist größer als 1000 Bytes." in response.content.decode()
    assert not EpisodePage.objects.exists()


def test_an_episode_needs_a_file(editor, podcast):
    response = editor.post(add_url(podcast), form(duration=20))

    assert response.status_code == 200
    assert "Bitte wählen Sie eine Datei aus." in response.content.decode()
    assert not EpisodePage.objects.exists()


def test_editing_keeps_the_stored_file_and_reads_a_cleared_duration_from_it(editor, podcast):
    episode = EpisodePageFactory(parent=podcast, slug="folge", duration=99)
    stored = episode.audio_file.name
    html = editor.get(f"/admin/pages/{episode.pk}/edit/").content.decode()
    assert f"Gespeicherte Datei: {stored}" in html
    assert 'name="title"' in html  # the form renders although the file has no address

    response = editor.post(
        f"/admin/pages/{episode.pk}/edit/", form(title="Neuer Titel", slug="folge", duration="")
    )

    assert response.status_code == 302, errors(response)
    episode.refresh_from_db()
    latest = episode.get_latest_revision_as_object()
    assert latest.title == "Neuer Titel"
    assert latest.audio_file.name == stored
    assert latest.duration == 10  # the factory's MP3 is ten seconds long


def test_a_new_file_for_a_live_episode_waits_in_the_draft(editor, podcast):
    episode = EpisodePageFactory(parent=podcast, slug="folge")
    old = episode.audio_file.name

    response = editor.post(
        f"/admin/pages/{episode.pk}/edit/",
        form(upload(audio_files.wav(4), "neu.wav"), slug="folge"),
    )

    assert response.status_code == 302, errors(response)
    episode.refresh_from_db()
    assert episode.audio_file.name == old  # the live page still plays the old file
    draft = episode.get_latest_revision_as_object()
    assert draft.audio_file.name.endswith(".wav") and PRIVATE.exists(draft.audio_file.name)
    assert (draft.duration, draft.audio_size) == (4, len(audio_files.wav(4)))
    episode.get_latest_revision().publish()
    episode.refresh_from_db()
    assert episode.audio_file.name == draft.audio_file.name and episode.duration == 4
