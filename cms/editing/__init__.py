"""No lost work: unsaved-changes warning, per-editor autosave and presence on admin forms."""
