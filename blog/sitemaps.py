from cms.publishing.sitemaps import LivePublishableSitemap

from .models import Post


class PostSitemap(LivePublishableSitemap):
    model = Post
    image_field = "hero_image"
