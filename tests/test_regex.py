"""ASCII classes for polars regexes: the same matches as Python's ASCII classes."""

import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logview.core.shared.regex import ascii_classes

PATTERNS = [
    r"^\d{4}-\d{2}$",
    r"\S+ \s*\w+",
    r"[^\s\[:]+",
    r"[\d.]+",
    r"\D\W\S",
    r"[]\d]+",
    r"[^]\w]",
    r"a\\d",  # an escaped backslash followed by a letter d
    r"\[\d\]",
]


def test_rewrites_classes_in_and_out_of_brackets():
    assert ascii_classes(r"\d+") == "[0-9]+"
    assert ascii_classes(r"[\d.]") == "[0-9.]"
    assert ascii_classes(r"\W") == "[^0-9A-Za-z_]"
    assert ascii_classes(r"a\\d") == r"a\\d"
    assert ascii_classes(r"\[\d\]") == r"\[[0-9]\]"


def test_refuses_a_negated_class_inside_brackets():
    with pytest.raises(ValueError, match="inside brackets"):
        ascii_classes(r"[\S,]")


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab09_ .,:[]\\\t\r\n\x0b\x0cé٣\u00a0", max_size=12), min_size=1))
def test_polars_matches_what_python_ascii_classes_match(texts):
    values = pl.Series(texts, dtype=pl.String)
    for pattern in PATTERNS:
        python = re.compile(pattern, re.ASCII)
        got = values.str.contains(ascii_classes(pattern)).to_list()
        assert got == [python.search(t) is not None for t in texts], pattern
