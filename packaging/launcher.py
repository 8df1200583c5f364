"""Entry point of the frozen (PyInstaller) seesay: the same as the ``seesay`` console script."""

import sys

from seesay.cli import main

if __name__ == "__main__":
    sys.exit(main())
