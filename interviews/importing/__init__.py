"""Legacy interview articles in and out: the importer, the exporter and the parser they share.

Used by ``manage.py import_articles`` and by the admin's "Import an interview" page
(``interviews.import_admin``), on the same code. A file or a paste goes through ``files``
(bytes to text; plain text, an HTML page, or a ``.docx`` converted to HTML), then
``plain_text`` or ``html_page`` (the source as blocks in reading order), which set apart the
article's ``header`` lines and its ``blog_box`` and hand the rest to ``questions`` (intro,
pairs and, through ``figures``, photos). The result is a ``ParsedArticle`` (``article``):
``importer`` writes it to the database; ``exporter`` writes an interview back as text the
importer reads to the same structure. Everything before ``importer`` is pure, so a dry run
and the parser's tests need no database.
"""
