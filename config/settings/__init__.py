"""Settings split by purpose: ``base`` for everything shared, then ``dev``, ``test``, ``prod``."""
