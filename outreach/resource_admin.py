"""Resources and subjects in the admin."""
