"""The unit tests' Speech Dispatcher fixtures live in tests/conftest.py (shared with the GUI tests)."""
