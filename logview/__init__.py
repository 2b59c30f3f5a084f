"""logview: a desktop log explorer for support engineers."""

from importlib import metadata

from logview import _allocators

_allocators.tune()  # before anything imports polars; see the module

try:
    __version__ = metadata.version("logview")
except metadata.PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"
