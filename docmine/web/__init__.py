"""`docmine serve`: a read-only web page and JSON API over the obligation store."""
