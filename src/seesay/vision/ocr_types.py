"""What reading text gives: lines with their boxes, how sure, and what they are (text, a button,
a selected row)."""

from __future__ import annotations

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

    def shrunk(self, factor: int, size: tuple[int, int], seconds: float) -> ReadText:
        """What was read on a copy enlarged ``factor`` times, placed on the picture (``size``)."""
        def placed(line: TextLine) -> TextLine:
            return replace(line, box=tuple(value // factor for value in line.box))

        return ReadText(lines=tuple(map(placed, self.lines)), seconds=seconds, image_size=size,
                        unsure=tuple(map(placed, self.unsure)))

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
