import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kommune360.network.models import Profile, Visibility
from tests.factories.accounts import UserFactory
from tests.factories.core import TopicFactory
from tests.factories.network import MunicipalityFactory, ProfileFactory

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def form_data(**changes):
    data = {
        "name": "Erika Neu",
        "role": "jugendhilfeplanung",
        "municipality": "",
        "offers": "",
        "seeks": "",
        "languages": "",
        "links": "",
    }
    for field in (
        "name",
        "role",
        "municipality",
        "topics",
        "offers",
        "seeks",
        "languages",
        "photo",
        "links",
    ):
        data[f"{field}_visibility"] = Visibility.MEMBERS
    data.update(changes)
    return data


def test_a_new_profile_stays_invisible_until_switched_on(client, db):
    user = UserFactory()
    client.force_login(user)
    assert client.post("/netzwerk/profil/", form_data()).status_code == 302
    profile = Profile.objects.get(user=user)
    assert not profile.is_active
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/netzwerk/mitglieder/{profile.pk}/").status_code == 404
    client.force_login(user)
    client.post("/netzwerk/profil/", form_data(is_active="on"))
    client.force_login(other)
    assert client.get(f"/netzwerk/mitglieder/{profile.pk}/").status_code == 200


def test_municipality_by_ags_or_name_and_errors_in_german(client, db):
    MunicipalityFactory(ags="03990001", name="Musterort Nord")
    user = UserFactory()
    client.force_login(user)
    client.post("/netzwerk/profil/", form_data(municipality="Musterort Nord"))
    assert Profile.objects.get(user=user).municipality.ags == "03990001"
    response = client.post(
        "/netzwerk/profil/", form_data(municipality="99999999", links="javascript:alert(1)")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Diese Kommune kennen wir nicht" in html
    assert "keine Web-Adresse" in html


def _jpeg_with_exif():
    image = Image.new("RGB", (2000, 1000), "red")
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller Geheim"  # Make
    exif[0x8825] = {2: (52.0, 31.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_the_photo_is_resized_and_loses_its_metadata(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    client.force_login(user)
    upload = SimpleUploadedFile("ich.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    response = client.post("/netzwerk/profil/", {**form_data(), "photo_upload": upload})
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    stored = profile.photo.read()
    assert b"Kamerahersteller" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) == 600
        assert not image.getexif()


def test_a_file_that_is_no_image_is_refused(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(UserFactory())
    upload = SimpleUploadedFile("ich.jpg", b"%PDF-1.4 nothing", content_type="image/jpeg")
    response = client.post("/netzwerk/profil/", {**form_data(), "photo_upload": upload})
    assert response.status_code == 200
    assert "Diese Art von Datei ist hier nicht möglich" in response.content.decode()


@pytest.mark.parametrize("field", ["name", "offers", "seeks", "languages"])
def test_markup_in_every_text_field_is_shown_as_text(client, db, field):
    topic = TopicFactory(name=XSS)
    profile = ProfileFactory(
        **{field: XSS},
        topics=[topic],
        offers_topics=[topic],
        seeks_topics=[topic],
        is_fellow=True,
        fellow_year=2024,
        show_as_fellow=True,
        **{
            f"{f}_visibility": Visibility.EVERYBODY
            for f in ("name", "offers", "seeks", "languages", "topics")
        },
    )
    viewer = UserFactory()
    client.force_login(viewer)
    for url in (
        "/netzwerk/mitglieder/",
        f"/netzwerk/mitglieder/{profile.pk}/",
        "/netzwerk/fellows/",
        "/netzwerk/mitglieder/?q=alert",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
    client.force_login(profile.user)
    html = client.get("/netzwerk/profil/").content.decode()
    assert "<script>alert" not in html


def test_links_only_with_a_web_scheme_are_links(client, db):
    profile = ProfileFactory(
        links="javascript:alert(1)\nhttps://gut.example/", links_visibility=Visibility.MEMBERS
    )
    client.force_login(UserFactory())
    html = client.get(f"/netzwerk/mitglieder/{profile.pk}/").content.decode()
    assert 'href="javascript:' not in html
    assert 'href="https://gut.example/"' in html


def test_staff_mark_fellows_with_their_year(client, db):
    from kommune360.core.models import AuditEntry

    profile = ProfileFactory()
    editor = UserFactory(roles=["Redaktion"], is_staff=False)
    member = UserFactory(roles=["Mitglied"])
    assert editor.has_perm("network.change_profile")
    assert not member.has_perm("network.change_profile")
    assert not UserFactory(roles=["Moderation"]).has_perm("network.change_profile")
    from kommune360.network.services.profiles import set_fellow

    set_fellow(editor, profile, is_fellow=True, year=2025)
    profile.refresh_from_db()
    assert profile.is_fellow and profile.fellow_year == 2025
    assert AuditEntry.objects.filter(action="network.fellow_set").exists()


def test_photo_uploads_have_a_limit_per_account(client, db, settings, tmp_path):
    from kommune360.network.views import PHOTOS

    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    client.force_login(user)
    for _attempt in range(PHOTOS.limit):
        upload = SimpleUploadedFile("ich.jpg", _jpeg_with_exif(), content_type="image/jpeg")
        client.post("/netzwerk/profil/", {**form_data(), "photo_upload": upload})
    stored = Profile.objects.get(user=user).photo.name
    upload = SimpleUploadedFile("ich.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    response = client.post("/netzwerk/profil/", {**form_data(), "photo_upload": upload})
    assert response.status_code == 200
    assert "sehr viele Fotos" in response.content.decode()
    assert Profile.objects.get(user=user).photo.name == stored
    # Saving the profile without a photo still works.
    assert client.post("/netzwerk/profil/", form_data(name="Erika Neuer")).status_code == 302
