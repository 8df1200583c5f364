"""Commands (as data) and global hotkey backends, ending in a no-op backend that explains."""
