"""``seesay describe``: describe files in order; one bad file never stops the others."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from seesay.core.errors import ImageError, SeesayError
from seesay.core.i18n import _

log = logging.getLogger("seesay.describe")


def describe_files(
    files: Sequence[str],
    values: Mapping[str, Any],
    *,
    as_json: bool = False,
    prompt: str | None = None,
    questions: Sequence[str] = (),
    out: TextIO | None = None,
    err: TextIO | None = None,
    index_location=None,
    use_index: bool = True,
    raw: bool = False,
) -> int:
    """Print a description (or an error) per file, and the answers to ``questions`` about it;
    0 when all worked, 1 when any failed. A file is described as the app describes a picture
    (``describe.pipeline``): a screenshot file gets the pictures inside it and its text. Each
    description is kept in the picture index (``describe.index``) unless ``use_index`` is False;
    every file is described, whether the index knows it or not. ``raw``: the description model's
    caption of the whole picture, as sure as it is or not, and nothing else (no text read, no
    hedging, not kept in the index)."""
    from seesay.describe.pipeline import look, say
    from seesay.vision.images import load_image

    out = out or sys.stdout
    err = err or sys.stderr
    index = None
    if use_index:
        from seesay.describe.index import open_index

        index = open_index(index_location, err_notify=lambda text: print(text, file=err, flush=True))
    try:
        return _describe_each(files, values, as_json, prompt, questions, out, err, None if raw else index, look,
                              say, load_image, raw)
    finally:
        if index is not None:
            index.close()


def _describe_each(files, values, as_json, prompt, questions, out, err, index, look, say, load_image,
                   raw: bool = False) -> int:
    captioner = answerer = reader = matcher = None
    translation = _translation(values, err)
    translate = translation.into_language if translation.translates and not raw else None
    model_error: SeesayError | None = None
    question_error: SeesayError | None = None  # the question model is missing: said once, captions go on
    failures = 0
    for number, path in enumerate(files, 1):
        which = f"file {number} of {len(files)}"  # for the log: a file's name may say what is in it
        try:
            picture = load_image(path)
            if captioner is None and model_error is None:
                captioner = _load(values, err)
                reader = None if raw else _text_reader(values.get("language", "auto"), err)
                matcher = None if raw else _load_matcher(values, err)
            if model_error is not None:
                raise model_error
            if raw:  # the bare caption, as the model wrote it
                bare = captioner.describe(picture.image, prompt=prompt)
            else:
                seen = look(picture.image, captioner, reader, detail=values.get("detail") == "on", prompt=prompt,
                            given=True, matcher=matcher, candidates=int(values.get("candidates", 1)))
                said = say(seen, values, capture=False, translate=translate)
            answers = []
            if questions and answerer is None and question_error is None:
                try:
                    answerer = _load_answerer(values, err)
                except SeesayError as error:
                    question_error = error
                    log.warning("question model: %s", type(error).__name__)
                    print(_("Questions are not answered: {message}").format(message=error.message), file=err,
                          flush=True)
                    if error.hint:
                        print(error.hint, file=err, flush=True)
            if answerer is not None:
                answers = [_answer(answerer, picture, translation.into_english(question), path, which)
                           for question in questions]
                if not raw:  # as the window says them: hedged, checked against the picture, in the person's language
                    answers = [_said_answer(answer, question, picture, matcher, values, answerer.name, path, translate)
                               for question, answer in zip(questions, answers)]
            _say_problems(translation, err)
            if questions and (answerer is None or any(isinstance(a, SeesayError) for a in answers)):
                failures += 1  # described, but some of its questions went unanswered
        except SeesayError as error:
            if not isinstance(error, ImageError) and model_error is None:
                model_error = error  # the model is missing: say so once per file, do not retry
            failures += 1
            log.warning("%s: %s", which, type(error).__name__)
            _report_error(path, error, as_json, out, err)
            continue
        except Exception as error:  # noqa: BLE001 - this file failed; the others are still described
            failures += 1
            _report_error(path, _failure(path, error, which), as_json, out, err)
            continue
        record = ({"path": path, "caption": bare.text, "confidence": round(bare.weakest_token_probability, 3)}
                  if raw else _record(path, seen, said, values, translation.said_in()))
        if questions:
            record["answers"] = [_answer_record(question, answer) for question, answer in zip(questions, answers)]
            if question_error is not None:
                record["answers_error"] = question_error.message
        if index is not None and not _keep(index, path, record, values, which, err,
                                           vector=_vector(matcher, picture, which) if not raw else None):
            index = None  # locked by another program: said once, not waited for again
        if as_json:
            print(json.dumps(record), file=out, flush=True)
        else:
            print(f"{path}: {bare.text if raw else said.spoken}", file=out, flush=True)
            for question, answer in zip(questions, answers):
                if isinstance(answer, SeesayError):
                    print(f"  {_shown(question)} " + _("error: {message}").format(message=answer.message), file=out,
                          flush=True)
                else:
                    print(f"  {question} {answer.said if isinstance(answer, _SaidAnswer) else answer.text}",
                          file=out, flush=True)
    return 1 if failures else 0


def _vector(matcher, picture, which: str) -> tuple[str, bytes] | None:
    """(the matcher's name, the picture's embedding) for search by meaning, when a matcher is here."""
    if matcher is None:
        return None
    from seesay.vision.itm_search import picture_vectors

    try:
        return str(matcher.name), picture_vectors(matcher, [picture.image])[0]
    except Exception as error:  # noqa: BLE001 - only search by meaning lacks it
        log.warning("%s: no embedding for search by meaning: %s", which, type(error).__name__)
        return None


def _keep(index, path: str, record: dict[str, Any], values: Mapping[str, Any], which: str, err: TextIO,
          vector: tuple[str, bytes] | None = None) -> bool:
    """Keep a description in the picture index, under the file's content hash (a file that cannot be
    read again, or an index that cannot be written, costs only this), with the picture's embedding
    (``vector``: the matcher's name and it) for search by meaning; False when the index is locked
    by another program, which is said once."""
    import os

    from seesay.core.regular_files import open_regular_file
    from seesay.describe.index import IndexLocked, file_hash
    from seesay.vision.images import MAX_FILE_BYTES

    try:
        with open_regular_file(path, MAX_FILE_BYTES) as stream:
            info = os.fstat(stream.fileno())
            content_hash = file_hash(stream)
        index.add(os.path.abspath(path), content_hash, record, size=info.st_size, mtime_ns=info.st_mtime_ns,
                  model=str(values.get("model") or ""))
        if vector is not None:
            index.add_vector(content_hash, *vector)
    except IndexLocked as error:
        log.warning("the picture index is locked")
        print(error.message, file=err, flush=True)
        print(_("This run's descriptions are printed but not kept in the index."), file=err, flush=True)
        return False
    except Exception as error:  # noqa: BLE001 - the description was said; only the index lacks it
        log.warning("%s: not kept in the index: %s", which, type(error).__name__)
        print(_("{path}: not kept in the picture index ({detail}).").format(path=path, detail=type(error).__name__),
              file=err, flush=True)
    return True


def _answer(answerer, picture, question: str, path: str, which: str):
    """The answer to one question, or the error that kept it from being answered."""
    try:
        return answerer.answer(picture, question, picture_key=path)
    except SeesayError as error:
        log.warning("a question about %s was not answered: %s", which, type(error).__name__)
        return error
    except Exception as error:  # noqa: BLE001 - this question failed; the others are still asked
        return _failure(path, error, which)


@dataclass(frozen=True)
class _SaidAnswer:
    """The question model's answer and what is said for it."""

    question: str
    text: str
    confidence: float
    said: str
    certainty: str
    statement: str | None
    match: float | None


def _said_answer(answer, question: str, picture, matcher, values: Mapping[str, Any], answerer_name: str, path: str,
                 translate=None):
    """``answer`` with what the window would say for it (an error stays as it is); ``question`` as
    the person asked it (the model was asked it in English)."""
    from seesay.describe.pipeline import say_answer

    if isinstance(answer, SeesayError):
        return answer
    composition, statement, match = say_answer(answer, question, picture, matcher, values,
                                               answerer_name=answerer_name, picture_key=path, translate=translate)
    return _SaidAnswer(question=question, text=answer.text, confidence=answer.confidence,
                       said=composition.spoken, certainty=composition.certainty, statement=statement, match=match)


def _answer_record(question: str, answer) -> dict[str, Any]:
    if isinstance(answer, SeesayError):
        return {"question": question, "error": answer.message}
    record = {"question": answer.question, "answer": answer.text, "confidence": round(answer.confidence, 3)}
    if isinstance(answer, _SaidAnswer):
        record.update(said=answer.said, certainty=answer.certainty)
        if answer.statement is not None and answer.match is not None:
            record.update(statement=answer.statement, match=round(answer.match, 4))
    return record


def _failure(path: str, error: BaseException, which: str) -> SeesayError:
    """An unexpected failure with one file, as a message (the traceback goes to the log, which
    names the file by its number: ``which``)."""
    if isinstance(error, MemoryError):
        log.warning("%s: out of memory", which)
        return SeesayError(_("Not enough memory was free to describe {name}.").format(name=path),
                           _("Close other programs, or make the picture smaller."))
    log.exception("describing %s failed", which)
    return SeesayError(_("Something went wrong while describing {name} ({detail}).").format(
        name=path, detail=type(error).__name__))


def _shown(question: str) -> str:
    """A question as it is printed beside its error: a long one is cut short."""
    return question if len(question) <= 80 else question[:79] + "…"


def _record(path: str, seen, said, values: Mapping[str, Any], language: str = "en") -> dict[str, Any]:
    """One file as JSON: what is said and how sure (``certainty``: plain, hedged or unsure), the
    caption of the whole picture, each picture found in it (with its box, caption, token
    confidence, image-text match when checked, and certainty) and the text read. ``language``:
    what ``said`` is in (``TranslationSession.said_in``), given when not English; the captions
    stay as the model wrote them, in English."""
    from seesay.describe.compose import certainty_of
    from seesay.vision.caption_quirks import big_enough_to_caption

    from seesay.describe.pipeline import caption_rule

    rule = caption_rule(values, seen)
    rule.pop("on_text_at")

    def caption_fields(caption, certainty_key: str = "certainty") -> dict[str, Any]:
        confidence = caption.weakest_token_probability
        fields = {"caption": caption.text, "confidence": round(confidence, 3)}
        if "raw_text" in caption.extra:  # what the model wrote, before its quirks were cleaned
            fields["raw_caption"] = caption.extra["raw_text"]
        if caption.match is not None:
            fields["match"] = round(caption.match, 3)
        return {**fields, certainty_key: certainty_of(confidence, caption.match, caption=caption.text, **rule)}

    record: dict[str, Any] = {"path": path, "said": said.spoken, "kind": said.mode, "certainty": said.certainty,
                              "measured": seen.measured}
    if seen.whole is not None:  # "certainty" is of what is said; the whole caption's own is beside it
        record.update(caption_fields(seen.whole, "caption_certainty"))
    if seen.too_small:  # said as a small image, never captioned
        record["small"] = True
    record["seconds"] = round(seen.seconds, 3)
    record["pictures"] = [{"place": p.region.place, "box": list(p.region.box),
                           **(caption_fields(p.caption) if p.caption is not None else {}),
                           **({} if big_enough_to_caption(p.region.size) else {"small": True})}
                          for p in seen.pictures]
    record["text"] = [line.text for line in seen.read.lines] if seen.read is not None else []
    record["unsure_text"] = [line.text for line in seen.read.unsure] if seen.read is not None else []
    if language != "en":
        record["language"] = language
    return record


def _translation(values: Mapping[str, Any], err: TextIO):
    """The translators for the description language (``seesay.translation``); a language seesay
    cannot speak is said once, and everything is in English."""
    from seesay.translation.session import TranslationSession

    translation = TranslationSession(values)
    if translation.wanted.unavailable:
        print(_("seesay is not translated into {language} yet, so it speaks and shows English.").format(
            language=translation.wanted.unavailable), file=err, flush=True)
    return translation


def _say_problems(translation, err: TextIO) -> None:
    """A translation model missing or failing: said once (the descriptions go on in English)."""
    for problem in translation.problems():
        log.warning("translation: %s", type(problem).__name__)
        print(problem.message, file=err, flush=True)
        if problem.hint:
            print(problem.hint, file=err, flush=True)


def _text_reader(language: str, err: TextIO):
    from seesay.vision.ocr import create_text_reader

    reader, problem = create_text_reader(language)
    if problem:
        print(problem, file=err, flush=True)
    return reader


def _load(values: Mapping[str, Any], err: TextIO):
    from seesay.vision.engine import load_captioner, locate_model

    folder = locate_model(values)
    print(_("Loading the description model…"), file=err, flush=True)
    return load_captioner(values, folder=folder)


def _load_matcher(values: Mapping[str, Any], err: TextIO):
    """The image-text matcher, or None: missing, it is optional (``seesay doctor`` says so);
    present but broken, that is said once and the captions go on unchecked."""
    from seesay.vision.itm import load_matcher

    try:
        return load_matcher(values)
    except SeesayError as error:
        log.warning("image-text matching model: %s", type(error).__name__)
        print(_("Captions are not checked against the pictures: {message}").format(message=error.message), file=err,
              flush=True)
        return None


def _load_answerer(values: Mapping[str, Any], err: TextIO):
    from seesay.vision.engine import load_answerer

    print(_("Loading the question-answering model…"), file=err, flush=True)
    return load_answerer(values)


def _report_error(path: str, error: SeesayError, as_json: bool, out: TextIO, err: TextIO) -> None:
    if as_json:
        record = {"path": path, "error": error.message}
        if error.hint:
            record["hint"] = error.hint
        print(json.dumps(record), file=out, flush=True)
        return
    print(f"{path}: " + _("error: {message}").format(message=error.message), file=err, flush=True)
    if error.hint:
        print(error.hint, file=err, flush=True)
