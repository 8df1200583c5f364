"""The Qt layer: window, worker thread, speech and feedback wiring. Thin by design."""
