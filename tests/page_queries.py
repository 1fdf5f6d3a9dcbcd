"""How many queries a page view makes, for the tests of pages whose parts are kept."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(client, url: str) -> tuple[int, str]:
    """The number of queries a GET of ``url`` made (it must answer 200), and its HTML."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()
