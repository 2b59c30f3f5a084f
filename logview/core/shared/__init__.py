"""What reading and analysis share: the table's layout, errors, atomic writes, display text, regex helpers, the header/body contract."""
