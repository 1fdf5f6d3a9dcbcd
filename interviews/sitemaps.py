from cms.publishing.sitemaps import LivePublishableSitemap

from .models import Interview


class InterviewSitemap(LivePublishableSitemap):
    model = Interview
    priority = 0.9
    image_field = "hero_image"
