"""One describe for every front end: a picture in, what there is to say about it out.

The window, the global keys and ``seesay describe`` all go through ``look`` (what is on the
picture: its text, its layout, captions of its pictures) and ``say`` (what is spoken and
shown). Runs on the worker thread; plain functions over data.

The route: text is read first, because the layout needs to know where the text is; the
layout finds the picture regions; then one batch of captions is made: the whole picture
(kept for the details panel, and spoken only when the picture is itself one picture) and
each picture region on its own crop, plus the quarters asked for in detail mode; a picture
too small to caption (``caption_quirks.MIN_CAPTION_SIDE``) is not, and is said as a small image.
With an
image-text matcher, every caption that may be spoken is then read against its own picture (one
batch), and ``say`` speaks it as sure as both allow (``compose.certainty_of``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from PIL import Image

from seesay.describe.faint import made_visible
from seesay.describe.layout import Layout, PictureRegion, find_layout
from seesay.describe.trusted_text import said_in_a_photo
from seesay.describe.tiles import find_tiles, tiled
from seesay.describe.written_on_photos import in_pictures, with_lettering
from seesay.vision.caption_quirks import big_enough_to_caption
from seesay.vision.line_kinds import a_mark

#: At most this many picture regions are captioned (the largest); the rest are listed.
MAX_CAPTIONED = 6
#: At most this many are spoken (the largest, in reading order); more are counted. In detail
#: mode every picture captioned is spoken.
MAX_SPOKEN = 3
#: In detail mode, a picture region at least this big (pixels, each side) is also described
#: quarter by quarter.
DETAIL_SIDE = 256
#: A picture no longer than this (pixels) with no region big enough to count is described
#: whole: an icon, a thumbnail, a small drawing.
SMALL_PICTURE = 512
#: Fewer words than this do not make a text screen (see ``compose``).
FEW_WORDS = 4


@dataclass(frozen=True)
class SeenPicture:
    region: PictureRegion
    #: None when it was not captioned (more pictures than ``MAX_CAPTIONED``, or ``small``)
    caption: Any = None
    #: detail mode: (place, caption or None for a blank quarter) for each quarter
    quarters: tuple = ()


@dataclass(frozen=True)
class Seen:
    """Everything made for one picture before anything is said about it."""

    layout: Layout
    #: the caption of the whole picture (None for a blank capture, or one too small to caption)
    whole: Any
    #: the text read (an OCR ``ReadText``), or None without a text reader
    read: Any
    pictures: tuple[SeenPicture, ...] = ()
    #: the whole picture is one picture: its caption is what is said
    is_one_picture: bool = False
    #: detail mode on a picture that is one picture: its quarters
    quarters: tuple = ()
    detail: bool = False
    #: seconds spent on each step: "text", "layout", "captions" (for benchmarks and the log)
    timings: Mapping[str, float] = field(default_factory=dict)
    #: the captioner's confidence thresholds were measured on it (``compose.certainty_of``)
    measured: bool = True
    #: the thresholds measured on it (``plain_at``, ``hedge_at``, ``on_text_at``; ``caption_rule``)
    own_thresholds: Mapping[str, float] = field(default_factory=dict)

    @property
    def too_small(self) -> bool:
        """The picture is one picture, too small to caption (said as a small image)."""
        return self.is_one_picture and not big_enough_to_caption(self.layout.size)

    @property
    def seconds(self) -> float:
        """The time spent on the picture: text reading and the captions."""
        captions = [self.whole, *(picture.caption for picture in self.pictures)]
        return sum(caption.seconds for caption in captions if caption is not None) + (
            self.read.seconds if self.read is not None else 0.0)


def look(image: Image.Image, captioner, reader, *, detail: bool = False,
         cancelled: Callable[[], bool] | None = None, known: Seen | None = None, prompt: str | None = None,
         element: bool = False, matcher=None, candidates: int = 1,
         text_ready: Callable[[Seen], None] | None = None, given: bool = False,
         drawn_at: float | None = None) -> Seen:
    """Read, lay out and caption ``image``. ``known``: what was seen on this same picture before
    (a double press asking for detail): only what detail adds is made. ``prompt``: the whole
    picture's caption starts with it. ``element``: the picture is one element the person chose
    (the focused one): without text on it, it is one picture, frame and all. ``given``: the picture
    was given alone (a file, the clipboard, a drop), not captured: a faint one is laid out and
    captioned stretched to its full range of brightness (``faint``); with next to no text read surely
    and no picture in a frame of its own found (a dim photo has no region a screen's layout can
    find; coins on a cloth are things on its ground, not a collage's tiles), it is one picture,
    unless it is pictures put edge to edge (``tiles``). In one picture, only lines read surely or
    on flat ground are its text, with the words
    written straight on it in white or black (``vision.lettering``). ``matcher``: an image-text
    matcher (``vision.itm``) that checks every caption that may be spoken;
    ``candidates`` above 1 with a matcher: CapFilt, each picture gets that many proposed captions
    and the matcher keeps the best (``vision.capfilt``). ``text_ready(seen)``: called once the text
    is read and laid out, before any caption is made (``seen`` has no captions yet): what it allows
    to be said (``said_before_captions``) can be said while the captions are made. ``drawn_at``:
    the scale of the desktop the picture was captured on, where the capture knows it (the reader's)."""
    original = image  # its text is read as it is (a faint photo's stretched noise reads as digits)
    if given:
        image = made_visible(image)  # a faint photo as a person sees it, contrast turned up
    if known is not None:
        seen = known
    else:
        started = time.perf_counter()
        read = reader.read(original, drawn_at) if reader is not None else None
        lines = read.lines if read is not None else ()
        read_at = time.perf_counter()
        layout = find_layout(image, [(line.box, line.confidence) for line in lines],
                             read.drawn_at if read is not None else 1.0)
        timings = {"text": read_at - started, "layout": time.perf_counter() - read_at}
        words = sum(len(line.text.split()) for line in lines)
        one = not layout.blank and (layout.is_one_picture or (words < FEW_WORDS and (
            element or (not layout.pictures and max(image.size) <= SMALL_PICTURE))))
        if (one or given) and not layout.blank and read is not None:
            # what tesseract makes of fur, sky or gravel is not the photo's text
            in_photo = said_in_a_photo(original if original.mode == "RGB" else original.convert("RGB"), read)
            # a picture given alone with (next to) no text, where a screen's layout found one region,
            # none (a dim or foggy photo) or only things on its ground (coins on a cloth), is a photo;
            # pictures in frames of their own stay pictures (a collage, an album page)
            words_said = sum(len(line.text.split()) for line in in_photo.lines)
            one = one or (words_said < FEW_WORDS and (len(layout.pictures) <= 1 or not layout.has_framed_pictures))
            tiles = find_tiles(image) if given and one and words_said < FEW_WORDS else []
            if tiles:  # a collage with no gutter: its tiles are its pictures
                layout, one = tiled(layout, tiles), False
            read = in_photo if one else read
        if read is not None and hasattr(reader, "read_lettering") and not layout.blank:
            lettering_from = time.perf_counter()
            written = (reader.read_lettering(original) if one
                       else in_pictures(original, reader, layout.largest(MAX_SPOKEN)))
            read = with_lettering(read, written)
            timings["text"] += time.perf_counter() - lettering_from
        seen = Seen(layout=layout, whole=None, read=read, is_one_picture=one, timings=timings,
                    measured=is_measured(captioner), own_thresholds=measured_thresholds(captioner))
    if seen.layout.blank:
        return seen
    if text_ready is not None and known is None:
        text_ready(replace(seen, detail=detail))
    jobs: list[tuple[str, Any, Image.Image]] = []  # (what, key, picture) to caption in one batch
    whole_wanted = seen.whole is None and big_enough_to_caption(image.size)
    if whole_wanted and prompt:
        seen = replace(seen, whole=captioner.describe(image, prompt=prompt, cancelled=cancelled))
    elif whole_wanted:
        jobs.append(("whole", None, image))
    pictures = list(seen.pictures)
    if not pictures and not seen.is_one_picture:
        largest = set(id(region) for region in seen.layout.largest(MAX_CAPTIONED))
        pictures = [SeenPicture(region) for region in seen.layout.pictures]
        jobs += [("region", index, image.crop(picture.region.crop_box)) for index, picture in enumerate(pictures)
                 if id(picture.region) in largest and big_enough_to_caption(picture.region.size)]
    quarter_jobs = []
    if detail and not seen.detail:
        quarter_jobs = _quarters_to_caption(image, seen, pictures)
        jobs += [("quarter", key, part) for key, part in quarter_jobs if part is not None]
    captioning = time.perf_counter()
    captions = _make_captions(captioner, jobs, cancelled, matcher=matcher if candidates > 1 else None,
                              candidates=candidates, whole_spoken=seen.is_one_picture)
    timings = {**seen.timings, "captions": time.perf_counter() - captioning, "captioned": len(jobs)}
    made = {(what, key): caption for (what, key, _picture), caption in zip(jobs, captions)}
    if matcher is not None:
        checking = time.perf_counter()
        if seen.whole is not None and seen.whole.match is None:  # made with the prompt, or before detail
            made[("whole", None)] = seen.whole
            jobs.append(("whole", None, image))
        made = _check_captions(matcher, jobs, made, whole_spoken=seen.is_one_picture, cancelled=cancelled)
        timings["matching"] = time.perf_counter() - checking
    whole = made.get(("whole", None), seen.whole)
    for index, picture in enumerate(pictures):
        if ("region", index) in made:
            pictures[index] = replace(picture, caption=made[("region", index)])
    quarters = seen.quarters
    if detail and not seen.detail:
        by_owner: dict[Any, list] = {}
        for (owner, place), part in quarter_jobs:
            by_owner.setdefault(owner, []).append((place, made.get(("quarter", (owner, place))) if part else None))
        quarters = tuple(by_owner.get("whole", ()))
        for index, picture in enumerate(pictures):
            if index in by_owner:
                pictures[index] = replace(picture, quarters=tuple(by_owner[index]))
    return replace(seen, whole=whole, pictures=tuple(pictures), quarters=quarters, detail=seen.detail or detail,
                   timings=timings)


def _quarters_to_caption(image: Image.Image, seen: Seen, pictures: list[SeenPicture]):
    """((owner, place), crop or None when blank) for detail mode: the whole picture's quarters when
    it is one picture, else the quarters of each of the largest regions (as many as are spoken
    outside detail mode) big enough to have them."""
    from seesay.vision.regions import grid_regions

    owners: list[tuple[Any, Image.Image]] = []
    if seen.is_one_picture and big_enough_to_caption((image.width // 2, image.height // 2)):
        owners.append(("whole", image))  # a small picture's parts would be too small to caption
    else:
        spoken = {id(region) for region in seen.layout.largest(MAX_SPOKEN)}
        for index, picture in enumerate(pictures):
            width, height = picture.region.size
            if id(picture.region) in spoken and min(width, height) >= DETAIL_SIDE:
                owners.append((index, image.crop(picture.region.box)))
    return [((owner, part.place), None if part.blank else part.image)
            for owner, picture in owners for part in grid_regions(picture)]


def is_measured(captioner) -> bool:
    """Whether the captioner's confidence thresholds were measured on it (``confidence.json``
    beside its weights, see ``vision.model_store.measured_confidence``)."""
    from seesay.vision.model_store import measured_confidence

    return measured_confidence(getattr(captioner, "name", None)) is not None


def measured_thresholds(captioner) -> dict[str, float]:
    """The thresholds measured on the captioner (``plain_at``, ``hedge_at``, ``on_text_at`` in its
    ``confidence.json``), those it has."""
    from seesay.vision.model_store import measured_confidence

    measured = measured_confidence(getattr(captioner, "name", None)) or {}
    return {key: float(measured[key]) for key in THRESHOLDS.values()
            if isinstance(measured.get(key), (int, float)) and 0.0 <= measured[key] <= 1.0}


#: The settings that are confidence thresholds (percent), and their names in ``confidence.json``.
THRESHOLDS = {"confidence_plain": "plain_at", "confidence_hedge": "hedge_at", "confidence_on_text": "on_text_at"}


def caption_rule(values: Mapping[str, Any], seen: Seen) -> dict[str, Any]:
    """The thresholds captions are judged by (``plain_at``, ``hedge_at``, ``on_text_at``, and
    ``measured``): a setting the person changed from its default wins; else the captioner's own,
    measured on it (``confidence.json``: a real model's least sure word is far less sure than the
    scene models'); else the setting's default."""
    from seesay.core.settings import BY_KEY

    rule: dict[str, Any] = {"measured": seen.measured}
    for key, name in THRESHOLDS.items():
        default = BY_KEY[key].default
        chosen = values.get(key, default)
        rule[name] = chosen / 100.0 if chosen != default or name not in seen.own_thresholds else seen.own_thresholds[name]
    return rule


def _check_captions(matcher, jobs, made: dict, *, whole_spoken: bool, cancelled) -> dict:
    """``made`` with each caption that may be spoken read against its own picture by the
    image-text matcher, all in one batch. The whole picture's caption is checked only when it is
    spoken (the picture is one picture); a screen's is never spoken."""
    checked = [(job, picture, made[tuple(job)]) for *job, picture in jobs
               if made.get(tuple(job)) is not None and made[tuple(job)].match is None
               and (job[0] != "whole" or whole_spoken)]
    if not checked:
        return made
    matches = matcher.match_pairs([(picture, caption.text) for _job, picture, caption in checked], cancelled)
    made = dict(made)
    for (job, _picture, caption), match in zip(checked, matches):
        made[tuple(job)] = replace(caption, match=match.probability)
    return made


def _make_captions(captioner, jobs, cancelled, *, matcher, candidates: int, whole_spoken: bool) -> list:
    """A caption for each job: with a matcher (CapFilt), each that may be spoken is the best of
    ``candidates`` proposed ones; the rest (or all, without one) greedy, in one batch."""
    if matcher is None:
        return _caption_all(captioner, [picture for _what, _key, picture in jobs], cancelled,
                            [what == "quarter" for what, _key, _picture in jobs])
    from seesay.vision.capfilt import capfilt

    chosen = [what != "whole" or whole_spoken for what, _key, _picture in jobs]
    unpicked = [job for job, pick in zip(jobs, chosen) if not pick]
    greedy = iter(_caption_all(captioner, [job[2] for job in unpicked], cancelled,
                               [job[0] == "quarter" for job in unpicked]))
    return [capfilt(captioner, matcher, picture, candidates, cancelled) if pick else next(greedy)
            for (_what, _key, picture), pick in zip(jobs, chosen)]


def _caption_all(captioner, pictures: list[Image.Image], cancelled, parts: list[bool]) -> list:
    """One batch when the captioner can (greedy decoding), else one at a time (beam search).
    ``parts``: which pictures are detail mode's parts of another (encoded smaller, ``part_encoding``)."""
    if not pictures:
        return []
    batch = getattr(captioner, "describe_batch", None)
    beams = getattr(getattr(captioner, "options", None), "num_beams", 1)
    if batch is not None and beams == 1:
        return batch(pictures, cancelled, parts=parts) if any(parts) else batch(pictures, cancelled)
    return [captioner.describe(picture, cancelled=cancelled) for picture in pictures]


def say(seen: Seen, values: Mapping[str, Any], *, context: str | None = None, capture: bool = True,
        translate: Callable[[list[str]], list[str]] | None = None):
    """What is spoken and shown for ``seen`` (a ``compose.Composition``). ``capture``: it was taken
    from the screen (a blank one is explained as a screen), not given as a picture. ``translate``:
    the person's language is not English; its captions are said in it (``in_language``)."""
    from seesay.describe import compose
    from seesay.describe.main_content import main_first, repeats_window_name

    seen = in_language(seen, translate)
    thresholds = caption_rule(values, seen)
    text_caption_at = thresholds.pop("on_text_at")
    read = seen.read
    lines = list(read.lines) if read is not None else []
    unsure = [line.text for line in read.unsure] if read is not None else []
    if seen.layout.blank:
        return compose.compose_blank(black=seen.layout.black, capture=capture, context=context)
    if seen.is_one_picture:
        quarters = _said_quarters(seen.quarters) if seen.detail else None
        whole = seen.whole
        return compose.compose(
            whole.text if whole else "", whole.weakest_token_probability if whole else 0.0,
            [line.text for line in lines],
            coverage=read.coverage if read is not None else 0.0, context=context,
            text_caption_at=text_caption_at,
            word_budget=int(values.get("text_words", 40)), regions=quarters, flat=seen.layout.flat,
            unsure=unsure, match=whole.match if whole else None, small=seen.layout.size if seen.too_small else None,
            **thresholds)
    spoken = {id(region) for region in seen.layout.largest(MAX_CAPTIONED if seen.detail else MAX_SPOKEN)}
    kept = _outside_pictures(lines, seen.layout.pictures)
    text = [line for line in kept if getattr(line, "role", "text") != "button"]
    return compose.compose_screen(
        [compose.PictureSaid(place=picture.region.place, box=picture.region.box,
                             caption=picture.caption.text if picture.caption else None,
                             confidence=picture.caption.weakest_token_probability if picture.caption else 0.0,
                             match=picture.caption.match if picture.caption else None,
                             spoken=id(picture.region) in spoken,
                             small=not big_enough_to_caption(picture.region.size),
                             quarters=tuple(_said_quarters(picture.quarters)))
         for picture in seen.pictures],
        [line.text for line in text],
        main_first=[line.text for line in main_first(text) if not repeats_window_name(line.text, context)],
        buttons=[line.text for line in kept if getattr(line, "role", "text") == "button"],
        selected=[line.text for line in kept if getattr(line, "role", "text") == "selected"], unsure=unsure,
        whole=(seen.whole.text, seen.whole.weakest_token_probability) if seen.whole is not None else None,
        context=context, word_budget=int(values.get("text_words", 40)), **thresholds)


def say_answer(answer, question: str, source, matcher, values: Mapping[str, Any], *, answerer_name: str,
               picture_key=None, translate: Callable[[list[str]], list[str]] | None = None):
    """What is said for ``answer`` (the question model's) to ``question`` about ``source``, the same
    in the window and in ``seesay describe --ask``: (a ``compose.Composition``, the answer said as a
    caption, the matcher's probability for it). As sure as the model is, checked by the image-text
    ``matcher`` where the answer makes a caption ("a red car"). ``question`` is the person's; the
    model was asked ``answer.question`` (in English), and the answer is checked in English, then
    said in the person's language (``translate``)."""
    from seesay.describe.compose import compose_answer
    from seesay.vision.itm import check_answer
    from seesay.vision.model_store import measured_confidence

    statement, match, check = check_answer(matcher, source, answer.question, answer.text, picture_key=picture_key)
    said = translate([answer.text])[0] if translate is not None and answer.text.strip() else answer.text
    composition = compose_answer(question, said, answer.confidence,
                                 plain_at=values.get("confidence_plain", 95) / 100.0,
                                 hedge_at=values.get("confidence_hedge", 70) / 100.0,
                                 statement=statement, match=match, check=check,
                                 measured=measured_confidence(answerer_name) is not None)  # measured on it
    return composition, statement, match


def in_language(seen: Seen, translate: Callable[[list[str]], list[str]] | None) -> Seen:
    """``seen`` with its captions in the person's language (``translate``: English in, theirs out, in
    one batch), before they are put into what is said; ``Caption.extra["english"]`` keeps each as the
    model wrote it. A caption that may not be said (``speakable``: it says nothing, or only that the
    picture is a screen) stays English, so it is still recognised and said as unclear."""
    from seesay.vision.caption_quirks import speakable

    if translate is None:
        return seen
    captions = [seen.whole, *(picture.caption for picture in seen.pictures),
                *(caption for _place, caption in seen.quarters),
                *(caption for picture in seen.pictures for _place, caption in picture.quarters)]
    english = list(dict.fromkeys(caption.text for caption in captions if caption is not None
                                 and speakable(caption.text)))
    if not english:
        return seen
    said = dict(zip(english, translate(english)))

    def swap(caption):
        if caption is None or caption.text not in said or not said[caption.text]:
            return caption
        return replace(caption, text=said[caption.text], extra={**caption.extra, "english": caption.text})

    return replace(seen, whole=swap(seen.whole), quarters=tuple((place, swap(part)) for place, part in seen.quarters),
                   pictures=tuple(replace(picture, caption=swap(picture.caption), quarters=tuple(
                       (place, swap(part)) for place, part in picture.quarters)) for picture in seen.pictures))


@dataclass(frozen=True)
class _Placeholder:
    """A caption not made yet, standing in for one (``said_before_captions``)."""

    text: str
    weakest_token_probability: float
    match: float | None


#: Captions as unlike as captions get: a sure one said plainly, a sure one that names a screen
#: (said as unsure, and it makes a few words a text screen), one too short to say. What is said
#: the same way with each of them in every caption's place does not depend on the captions.
_UNLIKE = (_Placeholder("a red apple on a wooden table", 1.0, 1.0),
           _Placeholder("a screenshot of a web page", 1.0, 1.0), _Placeholder("a", 0.0, 0.0))


def said_before_captions(seen: Seen, values: Mapping[str, Any], *, context: str | None = None,
                         capture: bool = True) -> tuple[str, ...]:
    """The first sentences of what ``say`` will say about ``seen`` (read and laid out, not yet
    captioned) that no caption can change: the window's name; on a text screen its text (and, with
    no picture in it to speak, everything); on a picture nothing more. Found by saying it with each
    of the ``_UNLIKE`` placeholders in every caption's place and keeping the sentences all begin with."""
    if seen.layout.blank:
        return say(seen, values, context=context, capture=capture).parts
    said = []
    for placeholder in _UNLIKE:
        filled = replace(seen, whole=seen.whole or placeholder, pictures=tuple(
            replace(picture, caption=picture.caption or placeholder) for picture in seen.pictures or (
                SeenPicture(region) for region in seen.layout.pictures)))
        said.append(say(filled, values, context=context, capture=capture).parts)
    common = 0
    while common < min(map(len, said)) and all(_alike(said[0][common], other[common]) for other in said):
        common += 1
    # where one placeholder adds a sentence after the last common one, that one ends with a full stop
    return tuple(max(versions, key=len) for versions in zip(*(other[:common] for other in said)))


def _alike(said: str, other: str) -> bool:
    """The same sentence, perhaps one with the full stop added before a next one."""
    return said.removesuffix(".") == other.removesuffix(".")


def still_to_say(said: tuple[str, ...], composition) -> str | None:
    """What of ``composition`` is left to say after its first sentences ``said`` were said as they
    were known; None when they are not its first sentences (then it is said whole)."""
    parts = composition.parts or (composition.spoken,)
    if len(said) > len(parts) or not all(_alike(*pair) for pair in zip(said, parts)):
        return None
    return " ".join(parts[len(said):])


def window_said(context: str | None, note: str | None = None) -> str:
    """What is said first, as soon as a capture is taken: why it is not quite what was asked
    for (``note``), then the window's name as ``say`` begins with it (never the last sentence)."""
    from seesay.describe.compose import sentences

    return " ".join(part for part in (note, sentences([context, "."])[0] if context else None) if part)


def _said_quarters(quarters) -> list[tuple[str, str | None, float, float | None]]:
    """(place, caption text or None for a blank quarter, its confidence, its match) as ``compose``
    takes them."""
    return [(place, caption.text if caption else None, caption.weakest_token_probability if caption else 1.0,
             caption.match if caption else None) for place, caption in quarters]


#: A line read inside a picture region less sure than this is the reader seeing text in a photo.
JUNK_IN_PICTURES = 0.75


def _outside_pictures(lines, regions) -> list:
    """The lines worth saying: all of them, but those inside a picture only when read surely and
    not a mark (a sign in a photo, yes; the reader's guesses at the photo's texture, or its rounded
    corner read as "r", no)."""
    def within(line, region) -> bool:
        left, top, width, height = line.box
        x, y = left + width / 2, top + height / 2
        return region.box[0] <= x <= region.box[2] and region.box[1] <= y <= region.box[3]

    return [line for line in lines
            if not any(within(line, region) for region in regions)
            or line.confidence >= JUNK_IN_PICTURES and not a_mark(line.box[3], line.text)]
