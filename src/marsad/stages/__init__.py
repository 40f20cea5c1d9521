"""Per-article stages: pure functions of one article, each declaring what it needs and gives."""
