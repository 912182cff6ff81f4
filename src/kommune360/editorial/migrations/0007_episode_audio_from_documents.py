"""Existing episodes keep working: each document's file is copied into the episode's
own audio field, with its size, for the live page and for every revision (drafts and
the history refer to the same copy), and the reference index forgets the old links.
The documents stay in the document library. Going back creates a document for each
episode's file again.
"""

import os

from django.db import migrations

EPISODE = ("editorial", "episodepage")


def _episode_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label=EPISODE[0], model=EPISODE[1]).first()


def _revisions(apps, content_type):
    Revision = apps.get_model("wagtailcore", "Revision")
    return Revision.objects.filter(content_type=content_type)


def documents_to_files(apps, schema_editor):
    EpisodePage = apps.get_model(*EPISODE)
    Document = apps.get_model("wagtaildocs", "Document")
    content_type = _episode_type(apps)
    revisions = list(_revisions(apps, content_type)) if content_type else []
    wanted = {e.audio_id for e in EpisodePage.objects.all()} | {
        r.content.get("audio") for r in revisions
    }
    copies = {}  # document id -> (stored name, size)
    field = EpisodePage._meta.get_field("audio_file")
    for document in Document.objects.filter(pk__in=[pk for pk in wanted if pk]):
        name = os.path.basename(document.file.name)
        with document.file.open("rb") as source:
            stored = field.storage.save(field.generate_filename(None, name), source)
        copies[document.pk] = (stored, field.storage.size(stored))
    for episode in EpisodePage.objects.all():
        stored, size = copies.get(episode.audio_id, ("", 0))
        episode.audio_file, episode.audio_size = stored, size
        episode.save(update_fields=["audio_file", "audio_size"])
    live = {str(e.pk): (e.audio_file.name, e.audio_size) for e in EpisodePage.objects.all()}
    for revision in revisions:
        content = dict(revision.content)
        stored, size = copies.get(content.pop("audio", None)) or live.get(
            str(revision.object_id), ("", 0)
        )
        content.update(audio_file=stored, audio_size=size)
        revision.content = content
        revision.save(update_fields=["content"])
    if content_type:
        ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
        ReferenceIndex.objects.filter(content_type=content_type, model_path="audio").delete()


def files_to_documents(apps, schema_editor):
    EpisodePage = apps.get_model(*EPISODE)
    Document = apps.get_model("wagtaildocs", "Document")
    Collection = apps.get_model("wagtailcore", "Collection")
    collection = Collection.objects.filter(depth=1).first()
    field = Document._meta.get_field("file")
    documents = {}  # stored name -> document id

    def document_for(name, title):
        if name and name not in documents:
            storage = EpisodePage._meta.get_field("audio_file").storage
            with storage.open(name, "rb") as source:
                stored = field.storage.save(
                    field.generate_filename(None, os.path.basename(name)), source
                )
            document = Document.objects.create(
                title=title[:255],
                file=stored,
                collection=collection,
                file_size=field.storage.size(stored),
            )
            documents[name] = document.pk
        return documents.get(name)

    for episode in EpisodePage.objects.all():
        episode.audio_id = document_for(episode.audio_file.name, f"Audio: {episode.title}")
        episode.save(update_fields=["audio"])
    content_type = _episode_type(apps)
    if content_type:
        for revision in _revisions(apps, content_type):
            content = dict(revision.content)
            name = content.pop("audio_file", "")
            content.pop("audio_size", None)
            content["audio"] = document_for(name, f"Audio: {content.get('title', '')}")
            revision.content = content
            revision.save(update_fields=["content"])



class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0006_episode_audio_file"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(documents_to_files, files_to_documents)]
