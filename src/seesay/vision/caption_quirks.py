"""BLIP's known quirks, cleaned before anything is said.

The real BLIP models write things the scene test models never do: "arafed" / "araffe" (a
made-up word the large model puts before people and animals, learnt from captions that began
with a mangled name), "there is a dog that is sitting ..." (the base model's habit), the same
phrase over and over until the length runs out ("a man and a man and a man"), and, shown any
screen, "a screenshot of a website" or "a computer screen with ...". And a picture of a few
dozen pixels, enlarged to the 384 the model reads, is blur it invents objects in.

So every caption is cleaned where its text is decoded (``clean_caption``: the captioner, each
CapFilt candidate; ``clean_answer`` for answers), and the composer treats a caption that says
nothing (``describes_something``) or names a screen instead of what is on it (``names_a_screen``)
as "I can't tell", through the same certainty as a low-confidence caption. The raw text is kept
(``Caption.extra["raw_text"]``) for the details and the acceptance report. Token confidence
still counts every token the model wrote, the left-out ones too: a model that stammers is
less sure of the rest, not more.
"""

from __future__ import annotations

import re

#: Pictures whose shorter side is below this many pixels (of the picture as captured, before the
#: captioner enlarges it) are not captioned: they are said as "small image". BLIP reads 384x384
#: pixels in 16-pixel patches; a 48-pixel picture is enlarged 8 times, so each patch still holds
#: 2x2 of its own pixels. Smaller, the patches hold the interpolation's blur between one or two
#: pixels, and the model invents a scene. What falls below is what has a name rather than a scene:
#: toolbar and tray icons (16-32 px), avatars in lists and chats (24-40 px), emoji, check boxes;
#: their name comes from the text read or the accessibility tree. The smallest picture region the
#: layout finds is 64 px (``describe.fitting.MIN_SIDE``), so this rule is for pictures given or
#: chosen whole (a focused element, a dropped icon, a small region) and detail mode's parts. The
#: acceptance run (``scripts/accept_real_models.py``) measures captions by size with real weights.
MIN_CAPTION_SIDE = 48

#: The large model's made-up word and its spellings: arafed, araffe, arafe, araffed, arrafed...
_NONSENSE = r"ar{1,2}af{1,2}(?:e|ed|d|ly)?"
_ARTICLE_BEFORE_NONSENSE = re.compile(rf"\b(a|an)\s+{_NONSENSE}\s+(?=(\w))")
_NONSENSE_WORD = re.compile(rf"\b{_NONSENSE}\b\s*")
_THERE_IS = re.compile(r"^there(?:'s|\s+is|\s+are)\s+")
#: "a dog that is sitting" -> "a dog sitting" (only before a word in -ing: "a sign that is red" stays)
_THAT_IS_DOING = re.compile(r"\b(?:that|which|who)\s+(?:is|are)\s+(\w+ing)\b")
#: Words that join a phrase to its repetition: "a man and a man", "a fork with a fork"
_JOINERS = {"and", "with", "or", ","}
#: Words a caption cut off in a repetition ends on ("a cat sitting on"): left off the end.
_DANGLING = {"a", "an", "the", "and", "with", "or", "on", "in", "of", "at", "to", "for", "from", "by", "near",
             "is", "are", "that", "which", "who"}
#: Words that do not name anything: a caption of only these says nothing.
_EMPTY_WORDS = _DANGLING | {"there", "it", "this", "some"}
#: A caption that begins by naming a screen, not what is on it: "a screenshot of ...", "a website
#: ...", or "a computer screen" alone or with what it shows ("a computer monitor sitting on a desk"
#: is a photo of one).
_SCREEN = re.compile(
    r"^(?:(?:a|an|the)\s+)?"
    r"(?:(?:close\s*up|image|picture|photo|view)\s+of\s+(?:(?:a|an|the)\s+)?)?"
    r"(?:(?:screen\s*shot|web\s*site|web\s*page)s?\b|(?:computer|laptop|desktop|monitor)\s+"
    r"(?:screen|monitor|display|desktop)s?(?:$|\s+(?:with|showing|displaying|of|that\s+(?:shows|has|says))\b))")


def clean_caption(text: str) -> str:
    """``text`` as it may be said: the made-up words left out, a leading "there is" dropped,
    "that is sitting" said as "sitting", repeated phrases said once."""
    text = _without_nonsense(" ".join(text.split()))
    text = _THERE_IS.sub("", text)
    text = _THAT_IS_DOING.sub(r"\1", text)
    words = _said_once(text.split())
    while words and words[-1] in _DANGLING and len(words) > 1:
        words.pop()
    return " ".join(words)


def cleaned(raw: str) -> tuple[str, dict]:
    """A decoded caption as it may be said, and what to keep in ``Caption.extra``: the raw text
    (``raw_text``) when cleaning changed it."""
    text = clean_caption(raw)
    return text, ({} if text == raw else {"raw_text": raw})


def clean_answer(text: str) -> str:
    """An answer as it may be said: the made-up words left out, a repeated word said once. One
    word is an answer ("yes", "red", "2"), so nothing else is judged."""
    return " ".join(_said_once(_without_nonsense(" ".join(text.split())).split()))


def describes_something(text: str) -> bool:
    """Whether a (cleaned) caption says what is in the picture: at least two words, one of them
    naming something ("a dog", "two cats"; not "", "cat", "a the")."""
    words = text.split()
    return len(words) >= 2 and any(word not in _EMPTY_WORDS for word in words)


def names_a_screen(text: str) -> bool:
    """Whether a caption describes the picture as a screen ("a screenshot of a website", "a
    computer screen with icons") rather than what is on it. A photo of someone at a computer
    ("a man sitting in front of a computer screen") is not this."""
    return _SCREEN.match(text.strip().lower()) is not None


def speakable(text: str) -> bool:
    """Whether a (cleaned) caption may be said as the picture's description at all: it says
    something, and not merely that the picture is a screen."""
    return describes_something(text) and not names_a_screen(text)


def big_enough_to_caption(size: tuple[int, int]) -> bool:
    """Whether a picture of ``size`` (width, height in its own pixels) is captioned at all."""
    return min(size) >= MIN_CAPTION_SIDE


def _without_nonsense(text: str) -> str:
    def article(match: re.Match) -> str:  # "an arafed man" -> "a man"; "an araffe elephant" stays "an"
        return ("an " if match.group(2).lower() in "aeiou" else "a ")

    text = _ARTICLE_BEFORE_NONSENSE.sub(article, text)
    return _NONSENSE_WORD.sub("", text).strip()


def _said_once(words: list[str]) -> list[str]:
    """Words with each phrase that follows itself ("a man and" "a man and"), or follows itself
    after a joining word ("a fork" and "a fork"), said once; the longest repeats first."""
    changed = True
    while changed:
        changed = False
        for length in range(len(words) // 2, 0, -1):
            for start in range(len(words) - 2 * length + 1):
                phrase = words[start:start + length]
                if words[start + length:start + 2 * length] == phrase:
                    del words[start + length:start + 2 * length]
                    changed = True
                    break
                joiner = start + length
                if (joiner < len(words) and words[joiner] in _JOINERS
                        and words[joiner + 1:joiner + 1 + length] == phrase):
                    del words[joiner:joiner + 1 + length]
                    changed = True
                    break
            if changed:
                break
    return words
