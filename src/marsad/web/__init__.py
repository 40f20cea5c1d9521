"""marsad's read-only web app (``marsad serve``): stories, articles, entities and search over a
store, each page with a JSON twin. See docs/web.md."""
