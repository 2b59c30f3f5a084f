"""The Qt-free core: ingest, patterns, queries, comparisons, anomalies."""
