"""Cross-article state: entities across documents, near-duplicates, stories, timelines."""
