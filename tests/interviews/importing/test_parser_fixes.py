"""What Word and Google Docs exports broke in the parser, each fixed and held here.

The headline was lost to ``<title>``, the "Posted on" date to Word's runs, blank lines became
empty paragraphs, bullets "·" paragraphs, a caption merged into an answer, and a picture
without alt text vanished without a word.
"""

import pytest

from interviews.importing.html_page import parse_html
from interviews.importing.plain_text import parse_text

WORD_HEAD = (
    "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head>"
    "<title>Interview_final_v3.docx</title></head><body lang=EN-US><div class=WordSection1>"
)
WORD_TAIL = "</div></body></html>"
PAIRS = (
    "<p class=MsoNormal><b>What led you to make this film?</b> A friend.<o:p></o:p></p>"
    "<p class=MsoNormal><b>What came next?</b> The edit.<o:p></o:p></p>"
)


def word(body: str) -> str:
    return WORD_HEAD + body + WORD_TAIL


def test_words_title_paragraph_wins_over_the_title_element():
    article = parse_html(word("<p class=MsoTitle>The Real Headline<o:p></o:p></p>" + PAIRS))
    assert article.title == "The Real Headline"


def test_the_first_h1_wins_over_the_title_element():
    article = parse_html(word("<h1>Headline in h1</h1>" + PAIRS))
    assert article.title == "Headline in h1"


@pytest.mark.parametrize(
    "date_paragraph",
    [
        "<p class=MsoNormal>Posted on February 22, 2013<o:p></o:p></p>",
        "<p class=MsoSubtitle><span style='color:gray'>Posted</span>&nbsp;on "
        "<span>February&nbsp;22</span>, 2013</p>",
        "<p class=MsoNormal><span lang=EN>Posted on </span><span>February 22</span>"
        "<span>, 2013</span><o:p>&nbsp;</o:p></p>",
    ],
    ids=["own-paragraph", "subtitle-with-no-break-spaces", "split-in-runs"],
)
def test_words_posted_on_date_is_kept(date_paragraph):
    article = parse_html(
        word(
            "<p class=MsoTitle>Headline</p><p class=MsoNormal><o:p>&nbsp;</o:p></p>"
            + date_paragraph
            + "<p class=MsoNormal>An introduction.</p>"
            + PAIRS
        )
    )
    assert str(article.posted) == "2013-02-22"
    assert [b.text for b in article.intro] == ["An introduction."]


@pytest.mark.parametrize(
    "blank",
    [
        "<p><br></p>",
        "<p>&nbsp;</p>",
        "<p>   \n </p>",
        "<p><span></span></p>",
        '<p dir="ltr"><span style="font-size:11pt"><br></span></p>',
        "<p class=MsoNormal><o:p>&nbsp;</o:p></p>",
        "<p>\u200b</p>",
    ],
    ids=["br", "nbsp", "spaces", "empty-span", "docs-br", "word-o-p", "zero-width"],
)
def test_empty_paragraphs_are_dropped(blank):
    article = parse_html(
        f"<h1>Title</h1>{blank}<p>Intro.</p>{blank}<p><strong>Why film it?</strong></p>{blank}"
        f"<p>Because.</p>{blank}<p>And more.</p>{blank}"
    )
    assert article.intro_html == "<p>Intro.</p>"
    assert article.pairs[0].answer_html == "<p>Because.</p><p>And more.</p>"


def test_blank_looking_lines_in_text_do_not_make_paragraphs():
    article = parse_text("Title\n\nWhy film it? Because.\n\u00a0\n\u200b\nIt mattered.\n")
    assert article.pairs[0].answer_paragraphs == ["Because.", "It mattered."]


def test_google_docs_wrapper_and_bold_spans_read_as_bold_questions():
    article = parse_html(
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-9f">'
        '<h1 dir="ltr"><span>Docs Title</span></h1>'
        '<p dir="ltr"><span style="font-weight:700">Where did it start</span></p>'
        '<p dir="ltr"><span style="font-weight:400">In a </span>'
        '<span style="font-style:italic;font-weight:400">small</span><span> town.</span></p>'
        '<p dir="ltr"><span style="font-weight:700">And then</span></p>'
        '<p dir="ltr"><span style="font-weight:400">It grew.</span></p></b>'
    )
    assert article.form == "bold"
    assert [p.question for p in article.pairs] == ["Where did it start", "And then"]
    assert article.pairs[0].answer_html == "<p>In a <em>small</em> town.</p>"


@pytest.mark.parametrize("bullet", ["·", "o", "§", "\uf0b7"])
def test_word_bullet_paragraphs_become_a_list_in_the_answer(bullet):
    item = (
        "<p class={cls} style='text-indent:-.25in;mso-list:l0 level1 lfo1'>"
        "<![if !supportLists]><span style='font-family:Symbol'>{bullet}"
        "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span>"
        "<![endif]>{text}<o:p></o:p></p>"
    )
    article = parse_html(
        word(
            "<p class=MsoTitle>Headline</p>"
            "<p class=MsoNormal><b>What did you film?</b> Three things:</p>"
            + item.format(cls="MsoListParagraphCxSpFirst", bullet=bullet, text="The studio")
            + item.format(cls="MsoListParagraphCxSpMiddle", bullet=bullet, text="The cat")
            + item.format(cls="MsoListParagraphCxSpLast", bullet=bullet, text="The police")
            + "<p class=MsoNormal><b>What next?</b> Rest.</p>"
        )
    )
    assert article.pairs[0].answer_html == (
        "<p>Three things:</p><ul><li>The studio</li><li>The cat</li><li>The police</li></ul>"
    )
    assert len(article.pairs) == 2


def test_numbered_word_paragraphs_become_an_ordered_list():
    items = "".join(
        f"<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><![if !supportLists]>"
        f"<span>{n}.<span>&nbsp;&nbsp; </span></span><![endif]>Film {n}</p>"
        for n in (1, 2)
    )
    article = parse_html(
        word("<h1>H</h1><p><b>What are your favourite films?</b></p>" + items + PAIRS)
    )
    assert article.pairs[0].answer_html == "<ol><li>Film 1</li><li>Film 2</li></ol>"


def test_html_lists_stay_lists_and_never_become_questions():
    article = parse_html(
        "<h1>T</h1><p>Why this film? Because of:</p>"
        "<ul><li>Who made it?</li><li>Where?</li></ul><p>What next? More.</p>"
    )
    assert [p.question for p in article.pairs] == ["Why this film?", "What next?"]
    assert article.pairs[0].answer_html == (
        "<p>Because of:</p><ul><li>Who made it?</li><li>Where?</li></ul>"
    )


@pytest.mark.parametrize(
    "picture",
    [
        '<p class=MsoNormal><img src="a_files/image001.jpg"></p>'
        "<p class=MsoCaption>Figure 1: the studio at night.</p>",
        '<figure><img src="a_files/image001.jpg"><figcaption>Figure 1: the studio at night.'
        "</figcaption></figure>",
        '<p><img src="a_files/image001.jpg"></p><p>Figure 1: the studio at night</p>',
    ],
    ids=["word-caption-style", "figcaption", "short-line-after"],
)
def test_a_pictures_caption_stays_with_it_not_in_the_answer(picture):
    article = parse_html(
        "<h1>T</h1><p><b>Why film it?</b> Because.</p>" + picture + "<p><b>What then?</b> More.</p>"
    )
    assert article.pairs[0].answer_html == "<p>Because.</p>"
    [figure] = article.figures
    assert figure.caption.startswith("Figure 1: the studio at night")
    assert figure.alt == figure.caption and figure.alt_from_caption
    assert (figure.after_pair, figure.src) == (1, "a_files/image001.jpg")
    assert article.warnings == []


def test_a_picture_without_alt_or_caption_is_kept_with_a_warning():
    article = parse_html(
        '<h1>T</h1><p><b>Why film it?</b> Because.</p><p><img src="x.png"></p>'
        "<p><b>What then?</b> More, and at length, with a full stop.</p>"
    )
    assert [(f.src, f.alt, f.after_pair) for f in article.figures] == [("x.png", "", 1)]
    assert any("x.png" in w and "no caption" in w for w in article.warnings)


def test_a_picture_inside_a_long_paragraph_becomes_a_figure_before_it():
    long_answer = "Because it had to be made, and nobody else would make it. " * 5
    article = parse_html(
        f'<h1>T</h1><p><b>Why film it?</b> <img src="y.jpg" alt="A street"> {long_answer}</p>'
        "<p><b>What then?</b> More.</p>"
    )
    assert [(f.alt, f.after_pair) for f in article.figures] == [("A street", 0)]
    assert "<img" not in article.pairs[0].answer_html
    assert article.pairs[0].question == "Why film it?"


def test_a_picture_outside_any_paragraph_is_still_a_figure():
    article = parse_html(
        '<h1>T</h1><p><b>Why film it?</b> Because.</p><div><img src="a.jpg" alt="Loose"></div>'
        "<p><b>What then?</b> More.</p>"
    )
    assert [(f.alt, f.after_pair) for f in article.figures] == [("Loose", 1)]


def test_a_picture_in_a_side_box_is_named_in_a_warning():
    article = parse_html(
        '<article><h1>T</h1><aside><img src="lost.jpg" alt="Lost one"></aside>'
        "<p><b>Why film it?</b> Because.</p><p><b>What then?</b> More.</p></article>"
    )
    assert article.figures == []
    assert any("Lost one" in w and "not imported" in w for w in article.warnings)


def test_a_heading_that_is_not_a_question_is_named_in_a_warning():
    article = parse_html(
        "<h1>T</h1><h2>Part one</h2><p><b>Why film it?</b> Because.</p><p><b>Then?</b> More.</p>"
    )
    assert any("Part one" in w for w in article.warnings)


def test_a_pasted_fragment_without_headline_markup_takes_its_first_line_as_title():
    article = parse_html(
        "<p>An Afternoon With the Crew</p><p><b>Why film it?</b> Because.</p>"
        "<p><b>What then?</b> More.</p>"
    )
    assert article.title == "An Afternoon With the Crew"


def test_a_docx_that_unpacks_to_too_much_is_refused_before_reading():
    import io
    import zipfile

    from interviews.importing.article import ArticleError
    from interviews.importing.files import source_from_bytes

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (101 * 2**20))
    with pytest.raises(ArticleError, match="more than 100 MB"):
        source_from_bytes(out.getvalue(), "bomb.docx")
