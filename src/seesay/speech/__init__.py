"""Speech: a ``Speaker`` interface with backends chosen by availability, ending in silence."""
