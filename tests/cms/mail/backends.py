"""A mail backend for the tests of a worker stopped while it talks to the mail server."""

from django.core.mail.backends.base import BaseEmailBackend


class WorkerStops(BaseEmailBackend):
    """Stops the worker mid-send, as a deployment or an out-of-memory kill would.

    SystemExit is what a worker's shutdown raises; the worker records its task as failed
    and goes on, which leaves the message's rows as a killed process would.
    """

    def send_messages(self, email_messages):
        raise SystemExit("the worker was stopped while sending")
