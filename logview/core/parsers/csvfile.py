"""(placeholder until its parser lands)"""

from logview.core.formats import Format

FORMATS: list[Format] = []
