"""Outreach's models, each in its own module; imported here so Django registers them."""

from .guestlists import Guestlist, Rsvp
from .host_requests import HostRequest
from .resources import Resource, Subject

__all__ = ["Guestlist", "HostRequest", "Resource", "Rsvp", "Subject"]
