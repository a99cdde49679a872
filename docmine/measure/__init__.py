"""Measuring docmine, off the ingest path: accuracy against gold files (evaluate), search
against judged queries (search_eval), and speed (bench, bench_search)."""
