"""Outreach in the admin: the editors' queue of host requests, RSVPs, and resources."""

from . import resource_admin  # noqa: F401 - registers the resources' admin
