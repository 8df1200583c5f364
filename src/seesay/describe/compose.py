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

How sure a caption is said (``certainty_of``) rests on two kinds of evidence. The captioner's own
token probabilities are on that model's scale: the thresholds were measured on one model, so
only a measured captioner (``confidence.json`` beside its weights) may be silenced by them; for
any other they decide between plain and "probably", never "I can't tell". The image-text matcher
(``vision.itm``), when there is one, reads the caption against the picture: below 0.5 (its own
fits / does-not-fit boundary) it rejects the caption, which is then never said as fact; below
``MATCH_PLAIN_AT`` it allows at most "probably". Whatever the numbers, a caption that says nothing
(empty, one word) or only that the picture is a screen ("a screenshot of a website") is "unsure"
(``vision.caption_quirks``), and a picture too small to caption is said as a small image.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from seesay.core.i18n import _, ngettext
from seesay.vision.caption_quirks import names_a_screen, speakable
from seesay.vision.itm import REJECT_BELOW


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message

#: A capture with at least this many words read is text, whatever else it holds...
TEXT_WORDS = 12
#: ...and so is one with a few words that cover a fair share of it (a sign filling a photo)...
TEXT_FEW_WORDS, TEXT_COVERAGE = 4, 0.03
#: ...or a few words on a picture mostly of flat colour (a dialog, a form: ``vision.look``). Drawn
#: flat scenes read no words; a photo is rarely more than a third flat (sky, a wall).
UI_FLAT_SHARE = 0.6
#: A capture less flat than this is a photo: with words on it (a meme, a poster), what it shows is
#: said after them as sure as its caption, not only when nearly certain as on a text screen.
PHOTO_FLAT_SHARE = 1 / 3


#: A caption the image-text matcher gives at least this probability may be said plainly; from
#: ``REJECT_BELOW`` (0.5) up to here, with "probably" at most. On the scene test models every right
#: caption of 100 held-out scenes scored above it and every caption one word wrong below 0.5
#: (README, "Captions checked against the picture").
MATCH_PLAIN_AT = 0.9
CERTAINTIES = ("unsure", "hedged", "plain")


def certainty_of(confidence: float, match: float | None = None, *, plain_at: float = 0.95, hedge_at: float = 0.70,
                 measured: bool = True, caption: str | None = None) -> str:
    """"plain", "hedged" or "unsure" for a caption whose least sure token has probability
    ``confidence`` and that the image-text matcher gives ``match`` (None: not checked).
    ``measured``: the thresholds were measured on this captioner (see the module's notes).
    ``caption``: its text; one that says nothing or names a screen is "unsure" however sure."""
    if caption is not None and not speakable(caption):
        return "unsure"
    by_tokens = "plain" if confidence >= plain_at else "hedged" if confidence >= hedge_at else "unsure"
    if not measured and by_tokens == "unsure":
        by_tokens = "hedged"  # an unmeasured model's scale is not evidence enough to say nothing
    if match is None:
        return by_tokens
    by_match = "plain" if match >= MATCH_PLAIN_AT else "hedged" if match >= REJECT_BELOW else "unsure"
    if not measured:  # the matcher's scale is the same for every captioner; the tokens' is not
        return by_match
    return min(by_tokens, by_match, key=CERTAINTIES.index)


@dataclass(frozen=True)
class Composition:
    spoken: str
    #: the details shown under the description: confidence and every line of text
    shown: str
    mode: str  # "text", "picture", "screen" (pictures inside a screen), "blank" or "answer"
    #: "plain", "hedged" or "unsure"
    certainty: str
    #: ``spoken`` sentence by sentence (the window's name, the text, each picture...), in order:
    #: what is known before the captions can be said while they are made (``describe.pipeline``)
    parts: tuple[str, ...] = ()


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
    regions: list[tuple[str, str | None, float]] | None = None,
    flat: float | None = None,
    unsure: list[str] = (),
    match: float | None = None,
    measured: bool = True,
    small: tuple[int, int] | None = None,
) -> Composition:
    """``coverage``: the share of the picture under text lines; ``flat``: the share of flat colour
    (None: not known, never taken for a photo).
    ``regions`` (detail mode): (place, caption or None for a blank part, confidence[, match]), said
    after the rest as "top left: a red circle", each as sure as its own caption. ``match``: the
    image-text matcher's probability for the caption; ``measured``: see ``certainty_of``.
    ``small``: the picture's size when it was too small to caption (``caption`` is then unused)."""
    words = sum(len(line.split()) for line in lines)
    is_text = words >= TEXT_WORDS or (words >= TEXT_FEW_WORDS and (
        coverage >= TEXT_COVERAGE or (flat or 0.0) >= UI_FLAT_SHARE or names_a_screen(caption)))
    rule = dict(plain_at=plain_at, hedge_at=hedge_at, measured=measured)
    if small is not None:
        certainty, said_caption = "unsure", _small_image(small)
    else:
        certainty, said_caption = hedged(caption, confidence, plain_at, hedge_at,
                                         _("I can't tell what this picture shows."), match=match, measured=measured)
    summary = _summary(lines, word_budget)
    parts = [context] if context else []
    if is_text:
        parts.append(_("Text: {text}").format(text=summary))
        if certainty == "plain" and confidence >= text_caption_at:  # photo captioners invent photos here
            parts.append(_("Picture: {caption}").format(caption=caption))
        elif flat is not None and flat < PHOTO_FLAT_SHARE and small is None and certainty != "unsure":  # a meme
            parts.append(_("Picture: {caption}").format(caption=said_caption))
    else:
        parts.append(said_caption)
        if summary:
            parts.append(_("Text: {text}").format(text=summary))
    shown = [said_caption if small is not None else _("Picture, {percent}% sure{match}: {caption}").format(
        percent=round(confidence * 100), match=_match_shown(match), caption=caption)]
    if regions:
        parts.append(_("In detail:"))
        shown.append(_("In detail:"))
        for place, region_caption, region_confidence, *region_match in regions:
            region_match = region_match[0] if region_match else None
            parts.append(_("{place}: {caption}").format(
                place=place, caption=_region_said(region_caption, region_confidence, region_match, rule)))
            if region_caption is None:
                shown.append(_("{place}: empty").format(place=place))
            else:
                shown.append(_("{place}, {percent}% sure{match}: {caption}").format(
                    place=place, percent=round(region_confidence * 100), match=_match_shown(region_match),
                    caption=region_caption))
    if lines:
        shown.append(_("Text ({count} lines):").format(count=len(lines)))
        shown.extend(lines)
    shown.extend(_unsure_shown(unsure))
    return Composition(spoken=_join(parts), shown="\n".join(shown),
                       mode="text" if is_text else "picture", certainty=certainty, parts=sentences(parts))


def _match_shown(match: float | None) -> str:
    """How the matcher's verdict is shown after a caption's confidence ("", or ", fits 98%")."""
    return "" if match is None else _(", fits the picture {percent}%").format(percent=round(match * 100))


def _small_image(size: tuple[int, int]) -> str:
    """How a picture too small to caption is said (``caption_quirks.MIN_CAPTION_SIDE``)."""
    return _("A small image, {width} by {height} pixels, too small to describe.").format(
        width=size[0], height=size[1])


def _unsure_shown(unsure: list[str]) -> list[str]:
    """What was read but not spoken: perhaps icons or a drawing read as letters."""
    return [_("Not spoken, perhaps icons read as letters: {text}").format(text="; ".join(unsure))] if unsure else []


#: How a picture's place is said, for each place ``places.place_of`` gives.
WHERE = {
    "top left": N_("at top left"), "top": N_("at the top"), "top right": N_("at top right"),
    "left": N_("on the left"), "centre": N_("in the centre"), "right": N_("on the right"),
    "bottom left": N_("at bottom left"), "bottom": N_("at the bottom"), "bottom right": N_("at bottom right"),
}


def _places_said(pictures: list) -> dict[int, str]:
    """How each picture's place is said (by ``id``): with its number where pictures share a place
    ("Picture 2 at bottom left"), counted in the order given (the layout's reading order)."""
    sharing = Counter(picture.place for picture in pictures)
    counted: Counter = Counter()
    said = {}
    for picture in pictures:
        where = _(WHERE[picture.place])
        if sharing[picture.place] > 1:
            counted[picture.place] += 1
            # TRANSLATORS: {where} is a place such as "at bottom left"; said after "Picture"
            where = _("{number} {where}").format(number=counted[picture.place], where=where)
        said[id(picture)] = where
    return said


@dataclass(frozen=True)
class PictureSaid:
    """A picture region of a screen, as the composer needs it."""

    place: str
    box: tuple[int, int, int, int]
    #: None: not captioned (there were more pictures than are captioned)
    caption: str | None
    confidence: float
    #: one of the pictures that are spoken (the largest); the others are only shown
    spoken: bool = True
    #: detail mode: (place in the picture, caption or None for a blank part, confidence[, match])
    quarters: tuple = ()
    #: the image-text matcher's probability for the caption (None: not checked)
    match: float | None = None
    #: not captioned because it is too small (``caption_quirks.MIN_CAPTION_SIDE``): "small image"
    small: bool = False


def compose_screen(pictures: list[PictureSaid], lines: list[str], *, whole: tuple[str, float] | None = None,
                   context: str | None = None, plain_at: float = 0.95, hedge_at: float = 0.70,
                   word_budget: int = 40, buttons: list[str] = (), selected: list[str] = (),
                   main_first: list[str] | None = None, unsure: list[str] = (), measured: bool = True) -> Composition:
    """A screen or window that is not one picture: its name, each spoken picture with its place
    ("Picture at top right: a yellow triangle on a black background"), each as sure as its own
    caption, then the text. The caption of the whole screen is never spoken (a photo captioner
    shown a page invents a photo); it is shown, with every picture found and every line read (in
    reading order; ``main_first``: the same lines as they are spoken, the main content before the
    chrome round it)."""
    rule = dict(plain_at=plain_at, hedge_at=hedge_at, measured=measured)
    parts = [context] if context else []
    if selected:  # a list's selected row: what the keys act on, said first
        parts.append(_("Selected: {rows}").format(rows="; ".join(selected)))
    spoken = [picture for picture in pictures if picture.spoken]
    places = _places_said(pictures)
    if len(pictures) > len(spoken):
        parts.append(ngettext("{count} picture; the largest:", "{count} pictures; the {spoken} largest:",
                              len(pictures)).format(count=len(pictures), spoken=len(spoken)))
    for picture in spoken:
        said = (hedged(picture.caption, picture.confidence, plain_at, hedge_at, _("unclear"), match=picture.match,
                       measured=measured)[1] if picture.caption is not None
                else _("small image") if picture.small else _("not described"))
        parts.append(_("Picture {where}: {caption}").format(where=places[id(picture)], caption=said))
        if picture.quarters:
            parts.append(_("In detail:"))
            parts.extend(_("{place}: {caption}").format(
                place=place, caption=_region_said(text, sure, part_match[0] if part_match else None, rule))
                for place, text, sure, *part_match in picture.quarters)
    summary = _summary(lines if main_first is None else main_first, word_budget)  # the article before the tabs
    if summary:
        parts.append(_("Text: {text}").format(text=summary))
    if buttons:  # a dialog's answers, said as buttons, after its message
        parts.append(_("Buttons: {buttons}").format(buttons=", ".join(buttons)))
    if not pictures and not summary and not buttons:
        parts.append(_("No pictures or text found."))
    shown = []
    if pictures:
        shown.append(ngettext("{count} picture:", "{count} pictures:", len(pictures)).format(count=len(pictures)))
        for picture in pictures:
            where = places[id(picture)]
            if picture.small:
                shown.append(_("Picture {where}: small image, {width} by {height} pixels, not described").format(
                    where=where, width=picture.box[2] - picture.box[0], height=picture.box[3] - picture.box[1]))
            elif picture.caption is None:
                shown.append(_("Picture {where}: not described").format(where=where))
            else:
                shown.append(_("Picture {where}, {percent}% sure{match}: {caption}").format(
                    where=where, percent=round(picture.confidence * 100), match=_match_shown(picture.match),
                    caption=picture.caption))
            shown.extend(_("  {place}: empty").format(place=place) if text is None else
                         _("  {place}, {percent}% sure{match}: {caption}").format(
                             place=place, percent=round(sure * 100), caption=text,
                             match=_match_shown(part_match[0] if part_match else None))
                         for place, text, sure, *part_match in picture.quarters)
    if selected:
        shown.append(_("Selected: {rows}").format(rows="; ".join(selected)))
    if lines:
        shown.append(_("Text ({count} lines):").format(count=len(lines)))
        shown.extend(lines)
    if buttons:
        shown.append(_("Buttons: {buttons}").format(buttons=", ".join(buttons)))
    shown.extend(_unsure_shown(unsure))
    if whole is not None:  # last: the least to be trusted
        shown.append(_("The whole screen as one picture (not spoken), {percent}% sure: {caption}").format(
            percent=round(whole[1] * 100), caption=whole[0]))
    certainties = [certainty_of(picture.confidence, picture.match, caption=picture.caption, **rule)
                   for picture in spoken if picture.caption is not None]
    certainties += ["unsure" for picture in spoken if picture.small]
    certainty = "plain" if not certainties else min(certainties, key=CERTAINTIES.index)
    return Composition(spoken=_join(parts), shown="\n".join(shown), mode="screen", certainty=certainty,
                       parts=sentences(parts))


def compose_blank(*, black: bool, capture: bool, context: str | None = None) -> Composition:
    """A capture with nothing to see is said as such, with the likely reason, never captioned."""
    if capture and black:
        message = _("Nothing to see: the capture is all black. The screen may be off, locked or covered by a "
                    "screen curtain, a video may be protected from capture, or seesay may not be allowed to "
                    "record the screen.")
    elif capture:
        message = _("Nothing to see: the capture is one plain colour.")
    else:
        message = _("The picture is all black.") if black else _("The picture is one plain colour.")
    parts = [context, message] if context else [message]
    return Composition(spoken=_join(parts), shown=message, mode="blank", certainty="plain", parts=sentences(parts))


def hedged(said: str, confidence: float, plain_at: float, hedge_at: float, unsure: str, *,
           match: float | None = None, measured: bool = True, caption: bool = True) -> tuple[str, str]:
    """``(certainty, what to say)``: ``said`` plainly, "probably ``said``", or ``unsure`` instead
    (``certainty_of`` decides; ``caption``: ``said`` is a caption, judged by its words too; an
    answer of one word is an answer, an empty one is not)."""
    if not said.strip():
        return "unsure", unsure
    certainty = certainty_of(confidence, match, plain_at=plain_at, hedge_at=hedge_at, measured=measured,
                             caption=said if caption else None)
    if certainty == "plain":
        return "plain", said
    if certainty == "hedged":
        return "hedged", _("probably {caption}").format(caption=said)
    return "unsure", unsure


def _region_said(caption: str | None, confidence: float, match: float | None, rule: dict) -> str:
    if caption is None:
        return _("empty")
    return hedged(caption, confidence, rule["plain_at"], rule["hedge_at"], _("unclear"), match=match,
                  measured=rule["measured"])[1]


def compose_answer(question: str, answer: str, confidence: float, *, plain_at: float = 0.95,
                   hedge_at: float = 0.70, statement: str | None = None, match: float | None = None,
                   check: str = "hedge", measured: bool = True) -> Composition:
    """An answer to a question about the picture, as sure as the model is and no surer.
    ``statement``: the answer said as a caption (``vqa.statement_of``) and ``match`` the image-text
    matcher's probability for it (None: not checked). A statement the matcher rejects makes the
    answer "probably" at most, or "I can't tell" where ``check`` is "silence": only a matcher
    measured to catch wrong answers and keep right ones (``itm.answer_check_of``) is trusted that
    far; the statement is a template's guess at what the answer means. ``measured``: the thresholds
    were measured on this question model (``confidence.json``); if not, its token probabilities
    alone never make seesay say "I can't tell", as for captions."""
    unsure = _("I can't tell from this picture.")
    certainty, spoken = hedged(answer, confidence, plain_at, hedge_at, unsure, caption=False, measured=measured)
    if match is not None and match < REJECT_BELOW and certainty != "unsure":
        certainty, spoken = ("unsure", unsure) if check == "silence" else (
            "hedged", _("probably {caption}").format(caption=answer))
    shown = [_("Question: {question}").format(question=question),
             _("Answer, {percent}% sure: {answer}").format(percent=round(confidence * 100), answer=answer)]
    if statement is not None and match is not None:
        shown.append(_("Checked as \u201c{statement}\u201d{match}").format(statement=statement,
                                                                      match=_match_shown(match)))
    return Composition(spoken=spoken, shown="\n".join(shown), mode="answer", certainty=certainty)


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


def sentences(parts: list[str]) -> tuple[str, ...]:
    """The parts as they are said: a full stop after each where one is missing, none added at the end."""
    parts = [part.strip() for part in parts if part and part.strip()]
    return tuple(part if index == len(parts) - 1 or part.endswith((".", "!", "?", "…", ":")) else part + "."
                 for index, part in enumerate(parts))


def _join(parts: list[str]) -> str:
    """Sentences in order, one string."""
    return " ".join(sentences(parts))
