"""The demo film's discussion guide, drawn as a PDF on this machine (fpdf2) by ``load_demo``.

A real guide is a designed document an outreach team uploads; the demo makes one from the
film's own fields so that the resources pages, the PDF checks and the download have a real
file to work on without shipping a binary in the repository.
"""

from __future__ import annotations

from html import unescape

from django.utils.html import strip_tags
from fpdf import FPDF

INK = (26, 26, 26)
ACCENT = (150, 52, 22)
MUTED = (85, 85, 85)

QUESTIONS = [
    "Ai Weiwei calls his work a way of asking questions in public. Which of his projects in "
    "the film asked the sharpest question, and who was it addressed to?",
    "The film shows him recording his own encounters with the police. What does a camera "
    "change in a confrontation between a citizen and the state?",
    "He names the children who died in the Sichuan earthquake, one by one. Why do names "
    "matter when a government prefers numbers?",
    "Is Ai Weiwei an artist who does politics, or an activist who uses art? Does the "
    "difference matter to you?",
    "The studio in Shanghai is demolished by the authorities; he throws a party for its "
    "demolition. How does humour work as a form of protest?",
    "What did the film tell you about the internet as a public square, and about its limits?",
    "Think of a place in your own community where people are not heard. What would an "
    "act of public questioning look like there?",
]

HOSTING_TIPS = [
    "Watch the film once yourself before the event, and time the discussion: 45 minutes is "
    "enough for most groups.",
    "Open with a round of first impressions in one word each, then move to the questions.",
    "Invite a local artist, journalist or human-rights advocate to respond to the film.",
    "Offer captions during the screening and say so in your invitation.",
    "Close with one thing each person will look up, share or do after tonight.",
]


def latin1(text: str) -> str:
    """The built-in PDF fonts cover Latin-1: typographic quotes and dashes become plain ones."""
    replacements = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                    "\u2014": " - ", "\u2013": "-", "\u2026": "..."}  # fmt: skip
    for fancy, plain in replacements.items():
        text = text.replace(fancy, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


class Guide(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="Letter")
        self.guide_title = latin1(title)
        self.set_margins(22, 22, 22)
        self.set_auto_page_break(auto=True, margin=22)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.set_text_color(*MUTED)
        self.cell(0, 8, f"{self.guide_title} - Discussion guide - page {self.page_no()}",
                  align="C")  # fmt: skip

    def heading(self, text: str) -> None:
        self.ln(4)
        self.set_font("Helvetica", "B", 15)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 8, latin1(text))
        self.ln(2)

    def paragraph(self, text: str) -> None:
        self.set_font("Times", size=12)
        self.set_text_color(*INK)
        self.multi_cell(0, 6.5, latin1(text))
        self.ln(3)

    def numbered(self, items: list[str]) -> None:
        self.set_font("Times", size=12)
        self.set_text_color(*INK)
        for number, item in enumerate(items, start=1):
            self.multi_cell(0, 6.5, latin1(f"{number}.  {item}"))
            self.ln(2)


def discussion_guide(title: str, logline: str, synopsis_html: str, runtime: int | None) -> bytes:
    """A four-section discussion guide for a film, as PDF bytes."""
    guide = Guide(title)
    guide.set_title(latin1(f"{title}: discussion guide"))  # stripped again when uploaded
    guide.add_page()
    guide.set_fill_color(*ACCENT)
    guide.rect(0, 0, guide.w, 92, style="F")
    guide.set_text_color(255, 255, 255)
    guide.set_y(34)
    guide.set_font("Helvetica", "B", 12)
    guide.cell(0, 8, "INDEPENDENT LENS  |  COMMUNITY CINEMA", new_x="LMARGIN", new_y="NEXT")
    guide.set_font("Helvetica", "B", 28)
    guide.multi_cell(0, 13, latin1(title))
    guide.set_y(104)
    guide.set_text_color(*INK)
    guide.set_font("Helvetica", "B", 20)
    guide.cell(0, 12, "Discussion guide", new_x="LMARGIN", new_y="NEXT")
    guide.paragraph(logline)
    if runtime:
        guide.paragraph(f"Running time: {runtime} minutes. Suitable for audiences aged 14 and up.")
    guide.heading("About the film")
    guide.paragraph(unescape(strip_tags(synopsis_html)))
    guide.heading("Before the screening")
    guide.paragraph(
        "Ask your audience what they know about contemporary art in China, and what they "
        "expect an artist to risk for their work. Keep the answers on a board: you will "
        "come back to them after the film."
    )
    guide.add_page()
    guide.heading("Questions for discussion")
    guide.numbered(QUESTIONS)
    guide.heading("Hosting tips")
    guide.numbered(HOSTING_TIPS)
    return bytes(guide.output())
