"""Capture: the screen, the active window, the area under the mouse, the clipboard image.

Qt-free except the clipboard backend (``app`` passes the clipboard image in). Every backend
says why when it cannot work (no display, Wayland without X), so nothing is ever described
from a black picture.
"""
