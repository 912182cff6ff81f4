from .base import MetadataMixin
from .downloads import DailySalt, DownloadClient, DownloadDay
from .magazine import ArticleAuthor, ArticlePage, MagazineIndexPage
from .pages import ContentPage, HomePage
from .podcast import EpisodeChapter, EpisodeGuest, EpisodePage, PodcastIndexPage
from .publications import PublicationIndexPage, PublicationPage
from .search import SearchTerm

__all__ = [
    "ArticleAuthor",
    "ArticlePage",
    "ContentPage",
    "DailySalt",
    "DownloadClient",
    "DownloadDay",
    "EpisodeChapter",
    "EpisodeGuest",
    "EpisodePage",
    "HomePage",
    "MagazineIndexPage",
    "MetadataMixin",
    "PodcastIndexPage",
    "PublicationIndexPage",
    "PublicationPage",
    "SearchTerm",
]
