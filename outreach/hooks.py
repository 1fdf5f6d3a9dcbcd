"""What outreach adds to the pages of the apps below it (cms.related): declared, not imported."""


def register() -> None:
    """Filled in as the pages are built: resources on a film's page, host and RSVP links."""
