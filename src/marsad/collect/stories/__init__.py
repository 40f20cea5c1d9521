"""Stories: near-duplicates (dedup), event clustering (cluster), cross-outlet comparison
(compare), timelines (timeline) and cited extractive summaries (summary); the ``stories``
collector (collector) puts them together at the end of a run. See docs/stories.md."""
