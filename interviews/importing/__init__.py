"""Legacy interview articles in and out: the importer, the exporter and the parser they share.

A file goes through ``files`` (bytes to text; plain text or an HTML page?), then
``plain_text`` or ``html_page`` (the source as blocks in reading order), which set apart the
article's ``header`` lines and its ``blog_box`` and hand the rest to ``questions`` (intro,
pairs and, through ``figures``, photos). The result is a ``ParsedArticle`` (``article``):
``importer`` writes it to the database; ``exporter`` writes an interview back as text the
importer reads to the same structure. Everything before ``importer`` is pure, so a dry run
and the parser's tests need no database.
"""
