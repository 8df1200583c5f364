"""What seesay says about a capture, and what it shows: window first, then text or picture,
with the caption as sure as the model is and no surer.

A captioner trained on photos, shown a document, invents a photo ("a cat on a bed"). So:
- the window's name comes first, when there is one;
- a capture that is mostly text (enough words read) leads with the text, and its caption is
  spoken only when the model is very sure (``text_caption_at``: the scene test model is
  confidently wrong on one text screen in five at the ordinary threshold, on none at 99%);
- a picture leads with the caption: plainly when the model is confident, with "probably" in
  the middle band, and "I can't tell what this picture shows" below it; then any text.
Everything (caption, its confidence, every line of text) is shown in the window regardless.
"""

from __future__ import annotations

from dataclasses import dataclass

from seesay.core.i18n import _

#: A capture with at least this many words read is text, whatever else it holds...
TEXT_WORDS = 12
#: ...and so is one with a few words that cover a fair share of it (a dialog, a sign filling a photo).
TEXT_FEW_WORDS, TEXT_COVERAGE = 4, 0.03


@dataclass(frozen=True)
class Composition:
    spoken: str
    #: the details shown under the description: confidence and every line of text
    shown: str
    mode: str  # "text" or "picture"
    #: "plain", "hedged" or "unsure"
    certainty: str


def compose(
    caption: str,
    confidence: float,
    lines: list[str],
    *,
    coverage: float = 0.0,
    context: str | None = None,
    plain_at: float = 0.95,
    hedge_at: float = 0.70,
    text_caption_at: float = 0.99,
    word_budget: int = 40,
) -> Composition:
    words = sum(len(line.split()) for line in lines)
    is_text = words >= TEXT_WORDS or (words >= TEXT_FEW_WORDS and coverage >= TEXT_COVERAGE)
    certainty = "plain" if confidence >= plain_at else "hedged" if confidence >= hedge_at else "unsure"
    said_caption = {
        "plain": caption,
        "hedged": _("probably {caption}").format(caption=caption),
        "unsure": _("I can't tell what this picture shows."),
    }[certainty]
    summary = _summary(lines, word_budget)
    parts = [context] if context else []
    if is_text:
        parts.append(_("Text: {text}").format(text=summary))
        if confidence >= max(plain_at, text_caption_at):  # photo captioners invent photos in documents
            parts.append(_("Picture: {caption}").format(caption=caption))
    else:
        parts.append(said_caption)
        if summary:
            parts.append(_("Text: {text}").format(text=summary))
    shown = [_("Picture, {percent}% sure: {caption}").format(percent=round(confidence * 100), caption=caption)]
    if lines:
        shown.append(_("Text ({count} lines):").format(count=len(lines)))
        shown.extend(lines)
    return Composition(spoken=_join(parts), shown="\n".join(shown),
                       mode="text" if is_text else "picture", certainty=certainty)


def _summary(lines: list[str], budget: int) -> str:
    taken: list[str] = []
    count = 0
    for line in lines:
        words = line.split()
        if count + len(words) > budget:
            remaining = budget - count
            if remaining > 0:
                taken.append(" ".join(words[:remaining]) + " …")
            else:
                taken[-1] = taken[-1] + " …" if taken else "…"
            break
        taken.append(line)
        count += len(words)
    return " ".join(taken)


def _join(parts: list[str]) -> str:
    """Sentences in order; a full stop between them where one is missing, none added at the end."""
    parts = [part.strip() for part in parts if part and part.strip()]
    return " ".join(part if index == len(parts) - 1 or part.endswith((".", "!", "?", "…")) else part + "."
                    for index, part in enumerate(parts))
