"""What is computed over the table: queries, patterns, comparison, anomalies, views, inspection, export."""
