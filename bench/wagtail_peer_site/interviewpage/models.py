"""An interview as a Wagtail page: intro, hero image, and question/answer blocks."""

from django.db import models
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page


class QuestionAnswerBlock(blocks.StructBlock):
    """One question and its answer, as our QuestionAnswer row holds them."""

    question = blocks.TextBlock()
    answer = blocks.RichTextBlock()

    class Meta:
        template = "interviewpage/question_answer.html"


class InterviewPage(Page):
    """The peer of our Interview: the same fields a Wagtail developer would give it."""

    byline = models.CharField(max_length=255, blank=True)
    intro = RichTextField(blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField([("qa", QuestionAnswerBlock())], blank=True)

    content_panels = [*Page.content_panels, "byline", "intro", "hero_image", "body"]
