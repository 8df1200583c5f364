"""The worker loop: owns the model, turns requests into descriptions. Qt-free.

It runs on one long-lived worker thread and reports through a ``ServiceEvents`` object
(the Qt layer turns those calls into signals). It never touches widgets. The model is
loaded when the loop starts, so the window is already up while it loads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from seesay.core.errors import Cancelled, SeesayError
from seesay.core.memory import MATCHER_MIB, over_budget
from seesay.core.i18n import _
from seesay.core.request_queue import RequestQueue
from seesay.core.requests import DescribeRequest, Description, DescriptionPart, Failure, ReloadModel
from seesay.describe import window_index
from seesay.translation.session import TRANSLATION_KEYS, TranslationSession

log = logging.getLogger("seesay.worker")
#: The question model (about 550 MB) is let go after this long without a question; the next
#: question loads it again (a few seconds, and seesay says so). The image-text matcher too, after
#: this long without a description.
ANSWERER_IDLE_SECONDS = 600.0


class ServiceEvents(Protocol):
    """Called on the worker thread."""

    def loading(self, message: str) -> None: ...
    def ready(self, model_name: str) -> None: ...
    def started(self, request: DescribeRequest) -> None: ...
    def part(self, part: DescriptionPart) -> None: ...
    def described(self, description: Description) -> None: ...
    def cancelled(self, request: DescribeRequest) -> None: ...
    def failed(self, failure: Failure) -> None: ...


#: ``load(values)`` returns a captioner or raises a ``SeesayError``.
CaptionerLoader = Callable[[Mapping[str, Any]], Any]


class DescribeService:
    def __init__(self, queue: RequestQueue, load: CaptionerLoader, values: Mapping[str, Any], events: ServiceEvents,
                 make_reader: Callable[[], tuple[Any, str | None]] | None = None,
                 load_answerer: CaptionerLoader | None = None, load_matcher: CaptionerLoader | None = None,
                 index_location: Path | None = None):
        """``index_location``: the picture index that descriptions of files are kept in when the setting
        ``keep_in_index`` is on (``describe.window_index``; None: the one in seesay's data folder)."""
        self._make_reader = make_reader
        self._index_location = index_location
        self._load_answerer = load_answerer
        #: ``load_matcher(values)``: the image-text matcher or None (optional; ``vision.itm``). Loaded
        #: on the first description, let go when idle or over the memory budget.
        self._load_matcher = load_matcher or _load_matcher
        self._matcher = None
        self._matcher_tried = False
        self._matched_at = 0.0
        #: loaded on the first question (most users never ask one), let go when idle
        self._answerer = None
        self._answered_at = 0.0
        #: (request id, what was seen) of the last description: detail asked for the same capture
        #: (a double press) reuses it and captions only what detail adds
        self._recent: tuple[int, Any] | None = None
        self._reader = None
        self._queue = queue
        self._load_captioner = load
        self._values = dict(values)
        self._events = events
        self._captioner = None
        self._load_error: SeesayError | None = None
        #: the translators for the person's language (``seesay.translation``): loaded when first
        #: needed, let go when idle; their problems are said once, with the description they touch
        self._translation = TranslationSession(values)

    def run(self) -> None:
        """The loop; returns when the queue is closed."""
        self._load()
        if self._load_error is None:
            self._translation.prepare()  # while nothing is asked yet: the first description is not kept waiting
        while True:
            item = self._queue.take(timeout=self._until_idle())
            if item is None:
                if self._queue.closed:
                    return
                self._release_idle()
                continue
            if isinstance(item, ReloadModel):
                self._reload(item.values)
            elif item.question is not None:
                self._answer(item)
            else:
                self._describe(item)

    def _until_answerer_idle(self) -> float | None:
        """Seconds until the question model has been idle long enough to let go (None: not loaded)."""
        if self._answerer is None:
            return None
        return max(0.0, self._answered_at + ANSWERER_IDLE_SECONDS - time.monotonic())

    def _until_idle(self) -> float | None:
        """Seconds until the question model or the matcher has been idle long enough to let go."""
        waits = [wait for wait in (self._until_answerer_idle(), self._until_matcher_idle(),
                                   self._translation.until_idle()) if wait is not None]
        return min(waits) if waits else None

    def _until_matcher_idle(self) -> float | None:
        if self._matcher is None:
            return None
        return max(0.0, self._matched_at + ANSWERER_IDLE_SECONDS - time.monotonic())

    def _release_idle(self) -> None:
        if self._until_answerer_idle() == 0.0:
            self._release_answerer()
        if self._until_matcher_idle() == 0.0:
            self._release_matcher()
        self._translation.release_idle()

    def _release_matcher(self, *, for_good: bool = False) -> None:
        """Let the matcher go; the next description loads it again, unless ``for_good`` (over the
        memory budget: captions go unchecked until the settings change)."""
        from seesay.vision.blip import return_freed_memory

        log.info("image-text matching model released%s", " until the settings change" if for_good else "")
        self._matcher = None
        self._matcher_tried = for_good
        return_freed_memory()

    def _get_matcher(self):
        """The image-text matcher, loaded on first use; None without one (captions go unchecked)."""
        if self._matcher is None and not self._matcher_tried:
            self._matcher_tried = True
            if over_budget(int(self._values.get("memory_budget", 1200)) - MATCHER_MIB):
                log.info("the image-text matcher would take seesay over its memory budget: captions go unchecked")
                return None
            try:
                self._matcher = self._load_matcher(self._values)
            except SeesayError as error:  # named but missing or broken: optional, so described as before
                log.warning("image-text matching model not loaded: %s", type(error).__name__)
        self._matched_at = time.monotonic()
        return self._matcher

    def _release_answerer(self) -> None:
        from seesay.vision.blip import return_freed_memory

        log.info("question model released")
        self._answerer = None
        return_freed_memory()

    def _reload(self, values: Mapping[str, Any]) -> None:
        """New settings: load again only what they change (or what failed to load before)."""
        from seesay.core.settings import ITM_MODEL_KEYS, MODEL_KEYS, VQA_MODEL_KEYS

        old, self._values = self._values, dict(values)
        if any(old.get(key) != self._values.get(key) for key in VQA_MODEL_KEYS):
            self._answerer = None
        if any(old.get(key) != self._values.get(key) for key in ITM_MODEL_KEYS):
            self._matcher, self._matcher_tried = None, False
        if self._translation.has_failed or any(old.get(key) != self._values.get(key) for key in TRANSLATION_KEYS):
            self._translation = TranslationSession(self._values)  # one language pair at a time
        if self._captioner is None or any(old.get(key) != self._values.get(key) for key in MODEL_KEYS):
            self._captioner = None
            self._load()

    def _load(self) -> None:
        self._events.loading(_("Loading the description model…"))
        try:
            self._captioner = self._load_captioner(self._values)
        except SeesayError as error:
            self._load_error = error
            self._events.failed(Failure(error))
            return
        except Exception as error:  # a bug; the app must stay up and say something
            log.exception("model loading failed")
            self._load_error = SeesayError(_("The description model could not be started ({detail}).").format(
                detail=type(error).__name__))
            self._events.failed(Failure(self._load_error))
            return
        self._load_error = None
        if self._make_reader is not None and self._reader is None:
            self._reader, problem = self._make_reader()
            if problem:
                self._events.failed(Failure(SeesayError(problem, spoken=getattr(self._reader, "spoken", None))))
        self._events.ready(str(getattr(self._captioner, "name", "")))

    def _describe(self, request: DescribeRequest) -> None:
        self._run(request, self._make_description)

    def _answer(self, request: DescribeRequest) -> None:
        self._run(request, self._make_answer)

    def _run(self, request: DescribeRequest, make: Callable[[DescribeRequest], Description]) -> None:
        """Run one request; every way it can end is reported, and the loop goes on."""
        if self._queue.is_cancelled(request):
            self._events.cancelled(request)
            return
        self._events.started(request)
        try:
            result = make(request)
        except Cancelled:
            self._events.cancelled(request)
            return
        except SeesayError as error:
            self._events.failed(Failure(error, request))
            return
        except Exception as error:  # a bug: say so, keep running
            log.exception("working on %s (request %d) failed", request.origin, request.id)
            self._events.failed(Failure(SeesayError(
                _("Something went wrong while describing {label} ({detail}).").format(
                    label=request.label, detail=type(error).__name__)), request))
            return
        self._events.described(result)

    def _make_description(self, request: DescribeRequest) -> Description:
        """What is known first is reported first (``events.part``): the window's name before the
        picture is even loaded, a text screen's text before any caption; ``Description.unsaid`` is
        the rest."""
        from seesay.describe.compose import sentences
        from seesay.describe.pipeline import look, said_before_captions, say, still_to_say, window_said
        from seesay.vision.images import load_image

        capture = request.origin in CAPTURES
        said: tuple[str, ...] = ()  # the description's first sentences, reported as parts
        if request.context or request.note:
            said = sentences([request.context, "."])[:1] if request.context else ()
            self._events.part(DescriptionPart(request, window_said(request.context, request.note), "window"))
        cancelled = lambda: self._queue.is_cancelled(request)  # noqa: E731

        def text_ready(seen) -> None:  # on this thread, between text reading and the captions
            nonlocal said
            first = said_before_captions(seen, self._values, context=request.context, capture=capture)
            if len(first) > len(said) and first[:len(said)] == said and not cancelled():
                self._events.part(DescriptionPart(request, " ".join(first[len(said):]), "text"))
                said = first

        picture = load_image(request.source)
        if self._captioner is None:
            raise self._load_error or SeesayError(_("The description model is not loaded."))
        known = self._recent[1] if self._recent is not None and request.about == self._recent[0] else None
        seen = look(picture.image, self._captioner, self._reader, cancelled=cancelled, known=known,
                    detail=request.detail or self._values.get("detail") == "on",
                    element=request.origin == "focus", given=request.origin in GIVEN, matcher=self._get_matcher(),
                    candidates=int(self._values.get("candidates", 1)), text_ready=text_ready,
                    drawn_at=request.drawn_at)
        if cancelled():  # cancelled while the text was read: nothing more is said
            raise Cancelled()
        if self._matcher is not None and over_budget(int(self._values.get("memory_budget", 1200))):
            log.info("over the memory budget after a description: the image-text matcher is let go")
            self._release_matcher(for_good=True)
        self._recent = (request.id, seen)
        composition = say(seen, self._values, context=request.context, capture=capture,
                          translate=self._translation.into_language if self._translation.translates else None)
        unsaid = None
        if said or request.note:
            unsaid = still_to_say(said, composition)
            if unsaid is None:  # not how it begins after all (never seen): it is said again, whole
                log.warning("a description did not begin as said before its captions")
        spoken, shown, offer = self._translation_notice()
        details = composition.shown
        not_kept = window_index.keep(request, seen, composition, self._values, self._index_location,
                                     self._translation.said_in())
        if not_kept is not None:  # the description stands; why the index lacks it is shown with it
            details = f"{details}\n{not_kept}"
        return Description(request=request, text=_before(spoken, composition.spoken), seconds=seen.seconds,
                           caption=seen.whole, details=_before(shown, details, "\n"), mode=composition.mode,
                           certainty=composition.certainty, read_text=seen.read, seen=seen,
                           unsaid=None if unsaid is None else _before(spoken, unsaid), offer_download=offer)

    def _translation_notice(self) -> tuple[str | None, str | None, tuple[str, ...]]:
        """What is said and shown, once, before a description or answer in English that was to be in
        the person's language: which translation model is missing (and how to get it), or why it
        failed; and the hub models the window offers to download (none: nothing to offer)."""
        problems = self._translation.problems()
        if not problems:
            return None, None, ()
        spoken = " ".join(problem.spoken or problem.message for problem in problems)
        shown = "\n".join(str(problem) for problem in problems)
        return spoken, shown, tuple(self._translation.download_offer(problems))

    def _make_answer(self, request: DescribeRequest) -> Description:
        from seesay.describe.pipeline import say_answer

        if self._answerer is None:
            if self._load_answerer is None:
                raise SeesayError(_("Questions cannot be answered here: there is no question-answering model."))
            self._events.loading(_("Loading the question-answering model…"))
            self._answerer = self._load_answerer(self._values)
        self._answered_at = time.monotonic()  # in use: not idle, even if this question fails
        answer = self._answerer.answer(request.source, self._translation.into_english(request.question),
                                       picture_key=request.about, cancelled=lambda: self._queue.is_cancelled(request))
        self._answered_at = time.monotonic()
        name = self._answerer.name
        if over_budget(int(self._values.get("memory_budget", 1200))):  # keep the screen reader's memory free
            log.info("over the memory budget after a question: the question model is let go")
            self._release_answerer()
        composition, _statement, _match = say_answer(
            answer, request.question, request.source, self._get_matcher(), self._values, answerer_name=name,
            picture_key=request.about,
            translate=self._translation.into_language if self._translation.translates else None)
        spoken, shown, offer = self._translation_notice()
        return Description(request=request, text=_before(spoken, composition.spoken), seconds=answer.seconds,
                           caption=answer, details=_before(shown, composition.shown, "\n"), mode=composition.mode,
                           certainty=composition.certainty, offer_download=offer)


def _before(notice: str | None, text: str, joiner: str = " ") -> str:
    return f"{notice}{joiner}{text}" if notice else text


def _load_matcher(values: Mapping[str, Any]):
    from seesay.vision.itm import load_matcher

    return load_matcher(values)


#: Where a picture came from the screen: one with nothing on it is explained as a screen.
CAPTURES = ("screen", "window", "mouse", "focus")
#: How a picture the person gave arrives (not a capture of their screen).
GIVEN = ("file", "paste", "drop", "clipboard")
