"""Vision: image intake, the model store and the captioner.

This is the only package that imports torch and transformers, and it does so lazily,
inside functions, so that importing seesay (and starting the app) stays fast.
"""
