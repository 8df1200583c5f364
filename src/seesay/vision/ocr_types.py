"""What reading text gives: lines with their boxes, how sure, and what they are (text, a button,
a selected row)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class TextLine:
    text: str
    #: left, top, width, height in the picture's pixels
    box: tuple[int, int, int, int]
    confidence: float
    #: "text"; "button" for a label framed as a button is; "selected" for a list's selected row;
    #: ``UNSURE`` for what may be an icon read as letters
    role: str = "text"


#: The role of a line that may be an icon or a drawing read as letters ("E", "(6)").
UNSURE = "unsure"


@dataclass(frozen=True)
class ReadText:
    #: the lines read, in reading order
    lines: tuple[TextLine, ...] = ()
    seconds: float = 0.0
    image_size: tuple[int, int] = (1, 1)
    #: what may be icons read as letters: never spoken, shown in the details marked unsure
    unsure: tuple[TextLine, ...] = ()
    #: the interface it was read on is drawn this many times its usual size (``drawn_size``: a
    #: high-DPI screen at 200%): its layout is found on a copy brought back to its usual size
    drawn_at: float = 1.0

    def shrunk(self, factor: int, size: tuple[int, int], seconds: float) -> ReadText:
        """What was read on a copy enlarged ``factor`` times, placed on the picture (``size``)."""
        return self._placed(lambda value: value // factor, size, seconds)

    def grown(self, factor: float, size: tuple[int, int], seconds: float) -> ReadText:
        """What was read on a copy reduced ``factor`` times, placed on the picture (``size``), which
        is drawn ``factor`` times its usual size."""
        return self._placed(lambda value: round(value * factor), size, seconds, drawn_at=factor)

    def _placed(self, move: Callable[[int], int], size: tuple[int, int], seconds: float,
                drawn_at: float = 1.0) -> ReadText:
        def placed(line: TextLine) -> TextLine:
            return replace(line, box=tuple(map(move, line.box)))

        return ReadText(lines=tuple(map(placed, self.lines)), seconds=seconds, image_size=size,
                        unsure=tuple(map(placed, self.unsure)), drawn_at=drawn_at)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> list[str]:
        return [word for line in self.lines for word in line.text.split()]

    @property
    def coverage(self) -> float:
        """Share of the picture covered by text lines (0 to 1)."""
        area = sum(line.box[2] * line.box[3] for line in self.lines)
        return min(1.0, area / float(self.image_size[0] * self.image_size[1] or 1))
