"""Reading logs into the shared table: sources and archives, bytes into lines, formats and their parsers, stamps, levels, headers, ingest, following."""
