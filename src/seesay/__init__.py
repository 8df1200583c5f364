"""seesay: hear what is on your screen, described locally."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("seesay")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
