"""The query language: CloudWatch Logs Insights syntax over the local table (see docs/query.md).

`run_query(table, text, start=, end=)` reads the text (a plain search or `|`-joined
commands), compiles it to one polars lazy query and runs it; any problem with the text is a
QueryError of one line with the column at fault. `suggest(text)` puts a misspelt first
command right (`fitler @level = "ERROR"`, which ran as a word search).
"""

from logview.core.analysis.query.errors import QueryError
from logview.core.analysis.query.parser import parse
from logview.core.analysis.query.run import QueryResult, is_plain_search, run_query
from logview.core.analysis.query.suggestions import suggest

__all__ = ["QueryError", "QueryResult", "is_plain_search", "parse", "run_query", "suggest"]
