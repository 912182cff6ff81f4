from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Page

from kommune360.core import languages
from kommune360.core.http import content_disposition, parse_byte_range
from kommune360.core.shared_parts import render_shared
from kommune360.core.shared_parts import serve as wagtail_serve
from kommune360.core.storage import open_stored, stored_size

from .downloads import record_download
from .models import DownloadDay, EpisodePage, PodcastIndexPage, PublicationPage

CHUNK = 64 * 1024


def _read(file, start, length):
    try:
        file.seek(start)
        remaining = length
        while remaining > 0:
            data = file.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        file.close()


def _downloadable(page_id):
    """The page and its stored file (a ``FieldFile``) with type, counting kind, duration."""
    page = get_object_or_404(Page.objects.live().public(), pk=page_id).specific
    if isinstance(page, EpisodePage) and page.audio_file:
        return page, page.audio_file, page.audio_type, DownloadDay.Kind.EPISODE, page.duration
    if isinstance(page, PublicationPage) and page.document_id:
        return page, page.document.file, page.file_type, DownloadDay.Kind.PUBLICATION, None
    raise Http404


@require_http_methods(["GET", "HEAD"])
def download(request, page_id, filename):
    """The audio file of an episode or the file of a publication, with byte ranges."""
    page, file, content_type, kind, duration = _downloadable(page_id)
    size = stored_size(file)
    byte_range = parse_byte_range(request.headers.get("Range"), size)
    headers = {
        "Accept-Ranges": "bytes",
        "Cache-Control": "public, max-age=3600",
        "Last-Modified": http_date(page.last_published_at.timestamp())
        if page.last_published_at
        else None,
        "Content-Disposition": content_disposition(filename, attachment=False),
    }
    headers = {k: v for k, v in headers.items() if v}
    if byte_range == "invalid":
        response = HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        return response
    start, end = byte_range or (0, size - 1)
    record_download(request, page, kind, start, end, size, duration)
    length = end - start + 1
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type, headers=headers)
        response["Content-Length"] = str(length)
        return response
    if byte_range is None:
        response = FileResponse(open_stored(file), content_type=content_type)
        for key, value in headers.items():
            response[key] = value
        response["Content-Length"] = str(size)
        return response
    response = StreamingHttpResponse(
        _read(open_stored(file), start, length),
        status=206,
        content_type=content_type,
        headers={**headers, "Content-Range": f"bytes {start}-{end}/{size}"},
    )
    response["Content-Length"] = str(length)
    return response


def _podcast():
    podcast = (
        languages.in_shown_language(PodcastIndexPage.objects.live().public())
        .select_related("cover_image")
        .first()
    )
    if podcast is None:
        raise Http404
    return podcast


@require_GET
def podcast_feed(request):
    from .feeds import podcast_feed_context

    def render_feed():
        context = podcast_feed_context(request, _podcast())
        return render_to_string("editorial/feeds/podcast.xml", context, request)

    return HttpResponse(
        render_shared(request, "podcast-feed", render_feed),
        content_type="application/rss+xml; charset=utf-8",
    )


def _episode(page_id):
    return get_object_or_404(
        EpisodePage.objects.live().public().prefetch_related("chapters"), pk=page_id
    )


@require_GET
def episode_chapters(request, page_id):
    """Chapters in the Podcasting 2.0 JSON chapters format."""
    episode = _episode(page_id)
    data = {
        "version": "1.2.0",
        "title": episode.title,
        "podcastName": episode.get_parent().title,
        "chapters": [
            {"startTime": chapter.start, "title": chapter.title}
            for chapter in episode.chapters.all()
        ],
    }
    return JsonResponse(
        data,
        content_type="application/json+chapters",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def episode_transcript(request, page_id):
    episode = _episode(page_id)
    return render(
        request,
        "editorial/feeds/transcript.html",
        {"episode": episode, "episode_url": episode.get_url(request)},
    )


def section_page(request, path):
    """Serve the Wagtail page at ``path`` (Magazin, Podcast, Publikationen) by name."""
    return wagtail_serve(request, path)
