"""An investigation as a whole: what it is made of and what mattered in it (bookmarks, notes,
the saved `.logview` file) and the report handed on from it. It composes what `reading` (the
sources and how each is read) and `analysis` (the query, patterns, comparison, anomalies)
make, so it is the one core package that may import both."""
