"""The public reading room: read-only pages for claims, actors, sources and search."""
