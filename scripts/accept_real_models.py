"""The acceptance run before a release: seesay's own loading and describing code with the real
BLIP weights, over a small public set of pictures, and a report of what they really say.

    python scripts/accept_real_models.py [--model base|large|HUB_ID|FOLDER]
        [--vqa-model vqa|FOLDER] [--itm-model Salesforce/blip-itm-base-coco|FOLDER]
        [--model-dir DIR] [--screens xvfb|drawn|none] [--out acceptance-report]

Every figure and threshold in seesay was measured on the tiny scene models trained in the repo
(tests/fixtures/models); the real weights could not be downloaded where seesay is built. This
run is how someone who has them (``seesay download base``, ``seesay download vqa``, ``seesay
download Salesforce/blip-itm-base-coco``, or folders of their own) checks them. Nothing is
downloaded: the models are found offline as seesay finds them, and a missing description model
ends the run with the command that fetches it (exit status 2).

The pictures, named in the report with where each came from:
- photos from scikit-image's data (``pip install scikit-image``) when it is installed, each with
  the words a right caption uses ("cat" for chelsea);
- pictures drawn by this script: one shape on a plain ground, the scene models' world
  (tests/fixtures/scenes.py), so a right caption names its colour and shape; and random noise,
  whose right caption names no thing;
- screens: real programs (a terminal, dialogs, lists, an editor) under Xvfb, as the tests take
  them (tests/fixtures/real_programs.py), with ``--screens xvfb``, the default when Xvfb is
  installed; or a text page and a dialog drawn by this script (``--screens drawn``). A right
  caption of a screen says text or screen; one that names a thing invents it;
- pages with pictures inside (an article, a chat, a gallery: tests/fixtures/composed_screens.py),
  the photos pasted in where there are photos, else the drawn shapes: each picture found is
  captioned on its own crop, as seesay does on a screen;
- the photos and drawings again at 24 to 96 pixels on their shorter side: how small a picture
  may be and still be captioned (``caption_quirks.MIN_CAPTION_SIDE``).

The report (``report.md`` and ``report.json`` in ``--out``): every caption as the model wrote it
and as seesay says it, its token confidence, its image-text match, its certainty, its time;
what seesay says for each screen; answers to a few questions; memory; and the thresholds each
certainty band would need on these captions beside the ones seesay uses now (measured on the
scene models).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the scene drawings and real programs the tests use

DEFAULT_MODELS = {"caption": "base", "vqa": "vqa", "itm": "Salesforce/blip-itm-base-coco"}
#: The shorter side, in pixels, each photo and drawing is also captioned at.
SIZES = (24, 32, 48, 64, 96)
#: Share of captions that must be right in a band: plainly said, and "probably".
PLAIN_RIGHT, HEDGED_RIGHT = 0.95, 0.5
#: scikit-image's photos: (name in skimage.data, words of which a right caption has one)
SKIMAGE_PHOTOS = {
    "chelsea": ("cat", "kitten"), "astronaut": ("astronaut", "woman", "person", "man"),
    "coffee": ("coffee", "cup", "mug"), "rocket": ("rocket", "shuttle", "launch"),
    "camera": ("man", "camera", "person", "photographer"), "hubble_deep_field": ("galaxy", "stars", "space", "sky"),
    "coins": ("coins", "coin", "money"), "cat": ("cat", "kitten"),
}
#: A right caption of random noise says it is noise, not a thing.
NOISE_WORDS = ("noise", "static", "pattern", "texture", "blurry", "abstract", "grainy", "gray", "grey", "pixels")
#: A right caption of a screen says it is text or a screen; one naming a thing invents it.
SCREEN_WORDS = ("text", "screen", "screenshot", "document", "page", "website", "dialog", "window", "message",
                "letter", "words", "computer", "email", "menu", "box", "note")
SHAPE_WORDS = {"circle": ("circle", "ball", "dot", "round"), "square": ("square", "rectangle", "box", "block"),
               "triangle": ("triangle", "pyramid")}


@dataclass
class Picture:
    name: str
    image: Image.Image
    kind: str  # "photo", "drawn" or "screen"
    source: str
    #: groups of words: a right caption has at least one word of each group (empty: not judged)
    truth: tuple[tuple[str, ...], ...] = ()
    #: (question, words one of which a right answer has)
    questions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: a page with pictures inside: (box, truth) of each picture on it
    regions: tuple = ()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=DEFAULT_MODELS["caption"], help="the description model (as seesay --model)")
    parser.add_argument("--vqa-model", default=DEFAULT_MODELS["vqa"])
    parser.add_argument("--itm-model", default=DEFAULT_MODELS["itm"])
    parser.add_argument("--model-dir", default="", help="seesay's model folder (default: seesay's own)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--screens", choices=("xvfb", "drawn", "none"),
                        default="xvfb" if shutil.which("Xvfb") else "drawn")
    parser.add_argument("--out", default="acceptance-report", help="folder for report.md and report.json")
    args = parser.parse_args(argv)

    from seesay.core.errors import SeesayError
    from seesay.vision.engine import load_answerer, load_captioner, locate_model
    from seesay.vision.itm import BlipMatcher
    from seesay.vision.engine import model_store

    values = {"model": args.model, "vqa_model": args.vqa_model, "itm_model": args.itm_model,
              "model_dir": args.model_dir, "device": args.device, "precision": args.precision}
    models: dict[str, dict] = {}
    try:
        folder = locate_model(values)
    except SeesayError as error:
        print(f"The acceptance run needs the real description model: {error.message}", file=sys.stderr)
        if error.hint:
            print(error.hint, file=sys.stderr)
        print("Nothing was downloaded; run this again once the models are on this computer.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    captioner = load_captioner(values, folder=folder)
    models["caption"] = _model_record(args.model, folder, captioner, time.perf_counter() - started)
    matcher = answerer = None
    try:
        started = time.perf_counter()
        itm_folder = model_store(values).locate(args.itm_model, setting="itm_model")
        matcher = BlipMatcher.load(itm_folder, device=args.device, precision=args.precision)
        models["itm"] = _model_record(args.itm_model, itm_folder, matcher, time.perf_counter() - started)
    except SeesayError as error:
        models["itm"] = {"name": args.itm_model, "missing": error.message}
    try:
        started = time.perf_counter()
        answerer = load_answerer(values)
        models["vqa"] = _model_record(args.vqa_model, Path(answerer.name), answerer, time.perf_counter() - started)
    except SeesayError as error:
        models["vqa"] = {"name": args.vqa_model, "missing": error.message}

    with tempfile.TemporaryDirectory(prefix="seesay-accept-") as scratch:
        pictures, notes = collect_pictures(args.screens, Path(scratch))
        report = run(pictures, captioner, matcher, answerer, values)
    report["models"] = models
    report["pictures_from"] = notes
    out = Path(args.out)
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    _write_private(out / "report.json", json.dumps(report, indent=1))
    _write_private(out / "report.md", markdown(report))
    print(f"Report: {out / 'report.md'} and {out / 'report.json'}")
    return 0


def _model_record(name: str, folder: Path, model, seconds: float) -> dict:
    from seesay.core.memory import resident_mib

    return {"name": name, "folder": str(folder), "device": model.device, "precision": model.precision,
            "load_seconds": round(seconds, 2), "resident_mib_after_load": _round(resident_mib(), 0)}


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


# --- the pictures -------------------------------------------------------------------------------

def collect_pictures(screens: str, scratch: Path) -> tuple[list[Picture], list[str]]:
    """The pictures, and a line for each source saying what it gave (or why it gave nothing)."""
    pictures, notes = [], []
    photos, note = skimage_photos()
    pictures += photos
    notes.append(note)
    drawn = drawn_scenes()
    pictures += drawn
    notes.append(f"{len(drawn)} pictures drawn by this script: one shape on a plain ground (tests/fixtures/scenes.py), "
                 "and random noise")
    pages = composed_pages(photos)
    pictures += pages
    notes.append(f"{len(pages)} pages with pictures inside, drawn by this script (tests/fixtures/composed_screens.py)"
                 + (", scikit-image's photos pasted in" if photos else ", with drawn shapes"))
    if screens == "xvfb":
        shots, note = program_screens(scratch)
        pictures += shots
        notes.append(note)
    elif screens == "drawn":
        shots = drawn_screens()
        pictures += shots
        notes.append(f"{len(shots)} screens drawn by this script (a text page and a dialog; --screens xvfb takes "
                     "real programs)")
    else:
        notes.append("no screens (--screens none)")
    return pictures, notes


def skimage_photos() -> tuple[list[Picture], str]:
    try:
        from skimage import data
    except ImportError:
        return [], "no photos: scikit-image is not installed (pip install scikit-image gives eight public photos)"
    photos = []
    for name, words in SKIMAGE_PHOTOS.items():
        try:
            image = Image.fromarray(getattr(data, name)()).convert("RGB")
        except Exception as error:  # noqa: BLE001 - a photo its version lacks, or one it must fetch
            print(f"scikit-image's {name} is not available here ({type(error).__name__})", file=sys.stderr)
            continue
        questions = (("what animal is this?", words),) if name in ("chelsea", "cat") else ()
        photos.append(Picture(name, image, "photo", f"scikit-image data: {name}", (words,), questions))
    return photos, f"{len(photos)} photos from scikit-image's data"


def drawn_scenes() -> list[Picture]:
    import random

    from fixtures.scenes import BACKGROUNDS, COLOURS, SHAPES, Scene, draw_scene

    rng = random.Random(20261201)
    pictures = []
    for index, (colour, shape) in enumerate((c, s) for c in COLOURS for s in SHAPES):
        scene = Scene(colour, shape, list(BACKGROUNDS)[index % 2])
        size = (rng.randint(240, 640), rng.randint(200, 480))
        pictures.append(Picture(
            scene.caption.replace(" ", "-"), draw_scene(scene, size, rng), "drawn", "drawn by this script",
            ((colour,), SHAPE_WORDS[shape]),
            (("what color is the shape?", (colour,)), ("what shape is it?", SHAPE_WORDS[shape]))))
    for index in range(3):
        noise = Image.effect_noise((rng.randint(240, 640), rng.randint(200, 480)), 30 + 40 * index).convert("RGB")
        pictures.append(Picture(f"noise-{index + 1}", noise, "drawn", "drawn by this script (random noise)",
                                (NOISE_WORDS,)))
    return pictures


def composed_pages(photos: list[Picture]) -> list[Picture]:
    from fixtures import composed_screens as screens
    from fixtures.scenes import SHAPES

    pages = []
    made = (("article", screens.article(7001, where="top right")), ("chat", screens.chat(7002)),
            ("gallery", screens.gallery(7003, 3)))
    for index, (name, (page, placed)) in enumerate(made):
        regions = []
        for number, picture in enumerate(placed):
            left, top, right, bottom = picture.box
            if photos:  # a photo where the page had a drawing, at the drawing's place and size
                photo = photos[(index + number) % len(photos)]
                page.paste(photo.image.resize((right - left, bottom - top), Image.LANCZOS), (left, top))
                regions.append((picture.box, photo.truth))
            else:
                shape = picture.scene.shape
                regions.append((picture.box, ((picture.scene.colour,), SHAPE_WORDS[shape] if shape in SHAPES else ())))
        pages.append(Picture(f"{name} page", page, "page", "drawn by this script", (SCREEN_WORDS,),
                             regions=tuple(regions)))
    return pages


def program_screens(scratch: Path) -> tuple[list[Picture], str]:
    missing = [tool for tool in ("Xvfb", "xdotool", "xterm", "zenity") if shutil.which(tool) is None]
    if missing:
        return [], f"no program screens: {', '.join(missing)} not installed (try --screens drawn)"
    from fixtures.real_programs import take_screenshots

    shots = take_screenshots(scratch)
    return ([Picture(name, image.convert("RGB"), "screen", f"{name} under Xvfb (tests/fixtures/real_programs.py)",
                     (SCREEN_WORDS,)) for name, image in shots.items()],
            f"{len(shots)} real program screens under Xvfb")


def drawn_screens() -> list[Picture]:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 18) if Path(
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file() else ImageFont.load_default()
    page = Image.new("RGB", (1024, 640), "white")
    draw = ImageDraw.Draw(page)
    for row, line in enumerate(("Dear team, the quarterly report is attached to this message.",
                                "Please read the summary before the meeting on Friday morning.",
                                "Sales grew in every region except the north.")):
        draw.text((40, 40 + 32 * row), line, fill="black", font=font)
    dialog = Image.new("RGB", (640, 320), (236, 236, 236))
    draw = ImageDraw.Draw(dialog)
    draw.text((40, 60), "Do you want to save the changes to notes.txt?", fill="black", font=font)
    for left, label in ((340, "No"), (480, "Yes")):
        draw.rectangle((left, 220, left + 110, 260), fill="white", outline=(120, 120, 120))
        draw.text((left + 35, 228), label, fill="black", font=font)
    return [Picture("text page", page, "screen", "drawn by this script", (SCREEN_WORDS,)),
            Picture("dialog", dialog, "screen", "drawn by this script", (SCREEN_WORDS,))]


# --- the run --------------------------------------------------------------------------------------

def run(pictures: list[Picture], captioner, matcher, answerer, values: dict) -> dict:
    from seesay.describe.compose import MATCH_PLAIN_AT
    from seesay.describe.pipeline import is_measured, look, say
    from seesay.vision.itm import REJECT_BELOW
    from seesay.vision.model_store import measured_confidence
    from seesay.vision.ocr import create_text_reader

    measured = is_measured(captioner)
    confidence = measured_confidence(captioner.name) or {}
    rule = dict(plain_at=float(confidence.get("plain_at", 0.95)), hedge_at=float(confidence.get("hedge_at", 0.70)),
                measured=measured)
    reader, _problem = create_text_reader()
    captions, sizes, answers = [], [], []
    for picture in pictures:
        caption = captioner.describe(picture.image)
        match = _match(matcher, picture.image, caption.text)
        record = {"picture": picture.name, "kind": picture.kind, "source": picture.source,
                  "size": list(picture.image.size), **_caption_fields(caption, match, rule, picture.truth)}
        captions.append(record)
        if picture.kind in ("screen", "page"):  # what seesay says: the text leads, the screen caption is never said
            seen = look(picture.image, captioner, reader, matcher=matcher)
            record["said"] = say(seen, {}, capture=True).spoken
            captions += _regions(seen, picture, rule)  # each picture found on it, captioned on its own crop
        if picture.kind in ("photo", "drawn"):
            sizes += [_at_size(captioner, matcher, picture, side, rule) for side in SIZES]
        for question, words in picture.questions if answerer is not None else ():
            answer = answerer.answer(picture.image, question, picture_key=picture.name)
            answers.append({"picture": picture.name, "question": question, "answer": answer.text,
                            "confidence": round(answer.confidence, 4), "seconds": round(answer.seconds, 4),
                            "right": any(word in answer.text.split() for word in words)})
    thresholds = {
        "token confidence": _thresholds([(c["confidence"], c["right"]) for c in captions if c["right"] is not None],
                                        {"plain": rule["plain_at"], "hedged": rule["hedge_at"]}),
        "image-text match": _thresholds([(c["match"], c["right"]) for c in captions
                                         if c["right"] is not None and c["match"] is not None],
                                        {"plain": MATCH_PLAIN_AT, "hedged": REJECT_BELOW}),
    }
    judged = [c for c in captions if c["right"] is not None]
    seconds = [c["seconds"] for c in captions]
    summary = {
        "captions": len(captions), "judged": len(judged), "right": sum(c["right"] for c in judged),
        "certainty": {band: sum(c["certainty"] == band for c in captions) for band in ("plain", "hedged", "unsure")},
        "said plainly and wrong": sum(c["certainty"] == "plain" and c["right"] is False for c in captions),
        "cleaned": sum(c["raw_caption"] != c["caption"] for c in captions),
        "screens named a screen": sum(c["names_a_screen"] for c in captions if c["kind"] in ("screen", "page")),
        "screens": sum(c["kind"] in ("screen", "page") for c in captions),
        "pictures on pages found and captioned": sum(c["kind"] == "region" for c in captions),
        "pictures placed on pages": sum(len(p.regions) for p in pictures),
        "seconds per caption": {"median": round(statistics.median(seconds), 4), "max": round(max(seconds), 4)}
        if seconds else {},
        "peak_resident_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "measured": measured,
    }
    by_size = []
    for side in SIZES:
        at = [s for s in sizes if s["side"] == side]
        judged_at = [s for s in at if s["right"] is not None]
        matches = [s["match_to_full"] for s in at if s["match_to_full"] is not None]
        by_size.append({"side": side, "captions": len(at), "right": sum(s["right"] for s in judged_at),
                        "judged": len(judged_at),
                        "mean_match_to_full": round(statistics.mean(matches), 3) if matches else None})
    return {"summary": summary, "thresholds": thresholds, "captions": captions, "by_size": by_size,
            "sizes": sizes, "answers": answers}


def _regions(seen, page: Picture, rule: dict) -> list[dict]:
    """A record for each picture seesay found on ``page`` and captioned, judged by the truth of the
    picture placed there (the one it overlaps most)."""
    def overlap(box, other) -> int:
        across = max(0, min(box[2], other[2]) - max(box[0], other[0]))
        return across * max(0, min(box[3], other[3]) - max(box[1], other[1]))

    records = []
    for found in seen.pictures:
        if found.caption is None:
            continue
        placed = max(page.regions, key=lambda region: overlap(found.region.box, region[0]), default=None)
        truth = placed[1] if placed is not None and overlap(found.region.box, placed[0]) > 0 else ()
        records.append({"picture": f"{page.name}, {found.region.place}", "kind": "region", "source": page.source,
                        "size": list(found.region.size), **_caption_fields(found.caption, found.caption.match, rule,
                                                                           truth)})
    return records


def _match(matcher, image, text: str) -> float | None:
    if matcher is None or not text:
        return None
    return matcher.match_pairs([(image, text)])[0].probability


def _caption_fields(caption, match, rule: dict, truth) -> dict:
    from seesay.describe.compose import certainty_of

    from seesay.vision.caption_quirks import names_a_screen

    words = set(caption.text.lower().split())
    raw = caption.extra.get("raw_text", caption.text)
    return {"raw_caption": raw, "caption": caption.text, "names_a_screen": names_a_screen(raw),
            "confidence": round(caption.weakest_token_probability, 4),
            "mean_confidence": round(caption.mean_token_probability, 4), "match": _round(match, 4),
            "certainty": certainty_of(caption.weakest_token_probability, match, caption=caption.text, **rule),
            "seconds": round(caption.seconds, 4),
            "right": all(words & set(group) for group in truth) if truth else None}


def _at_size(captioner, matcher, picture: Picture, side: int, rule: dict) -> dict:
    """The picture made ``side`` pixels on its shorter side, captioned as it is (the captioner
    enlarges it), its caption read against the full-size picture."""
    width, height = picture.image.size
    scale = side / min(width, height)
    small = picture.image.resize((max(1, round(width * scale)), max(1, round(height * scale))), Image.LANCZOS)
    caption = captioner.describe(small)
    fields = _caption_fields(caption, _match(matcher, small, caption.text), rule, picture.truth)
    return {"picture": picture.name, "side": side, **fields,
            "match_to_full": _round(_match(matcher, picture.image, caption.text), 4)}


def _thresholds(scored: list[tuple[float, bool]], now: dict[str, float]) -> dict:
    """The lowest score at which captions said plainly are right at least ``PLAIN_RIGHT`` of the
    time, and the lowest below that at which those said with "probably" are right at least
    ``HEDGED_RIGHT`` of the time, on these captions; beside the thresholds seesay uses now."""
    result = {"captions": len(scored), "wrong": sum(not right for _score, right in scored), "now": now,
              "needed": {"plain": None, "hedged": None}, "change": {}}
    if not result["wrong"]:  # every caption right (or none judged): nothing to place the bands by
        return result
    cuts = sorted({score for score, _right in scored}, reverse=True)

    def share_right(low: float, high: float = float("inf")) -> float | None:
        band = [right for score, right in scored if low <= score < high]
        return sum(band) / len(band) if band else None

    plain = next((cut for cut in reversed(cuts) if (share_right(cut) or 0) >= PLAIN_RIGHT), None)
    hedged = None
    if plain is not None:
        hedged = next((cut for cut in reversed(cuts) if cut < plain and (share_right(cut, plain) or 0) >= HEDGED_RIGHT),
                      None)
    result["needed"] = {"plain": plain, "hedged": hedged}
    result["change"] = {band: round(result["needed"][band] - now[band], 4)
                        for band in now if result["needed"][band] is not None}
    return result


def _round(value, digits: int):
    return None if value is None else round(value, digits)


# --- the report ----------------------------------------------------------------------------------

def markdown(report: dict) -> str:
    summary = report["summary"]
    lines = ["# Acceptance run: seesay with real weights", ""]
    lines += ["## Models", "", "| model | name | folder | device | precision | load s | MiB after load |",
              "|---|---|---|---|---|---|---|"]
    for role, model in report["models"].items():
        if "missing" in model:
            lines.append(f"| {role} | {model['name']} | not on this computer: {model['missing']} | | | | |")
        else:
            lines.append(f"| {role} | {model['name']} | {model['folder']} | {model['device']} | {model['precision']} "
                         f"| {model['load_seconds']} | {model['resident_mib_after_load']} |")
    lines += ["", "## Pictures", "", *[f"- {note}" for note in report["pictures_from"]], ""]
    certainty = summary["certainty"]
    lines += ["## Summary", "",
              f"- {summary['captions']} captions; {summary['right']} of {summary['judged']} judged right "
              "(a right caption names what the picture is known to show)",
              f"- said plainly {certainty['plain']}, with \"probably\" {certainty['hedged']}, "
              f"\"I can't tell\" {certainty['unsure']}; said plainly and wrong: {summary['said plainly and wrong']}",
              f"- cleaned of a known quirk: {summary['cleaned']}; screens and pages the captioner called a screen: "
              f"{summary['screens named a screen']} of {summary['screens']}",
              f"- pictures on pages: {summary['pictures placed on pages']} placed, "
              f"{summary['pictures on pages found and captioned']} found and captioned",
              f"- seconds per caption: median {summary['seconds per caption'].get('median')}, "
              f"max {summary['seconds per caption'].get('max')}; peak memory {summary['peak_resident_mib']} MiB",
              f"- the captioner's thresholds were measured on it (confidence.json): "
              f"{'yes' if summary['measured'] else 'no'}", ""]
    lines += ["## Thresholds", "",
              f"What each band would need on these captions (plainly: {PLAIN_RIGHT:.0%} right; \"probably\": "
              f"{HEDGED_RIGHT:.0%} right), beside what seesay uses now (measured on the scene models). "
              "'-': these captions cannot place it (none wrong, or none below the plain band).", "",
              "| evidence | captions (wrong) | plain now | plain needed | change | probably now | probably needed "
              "| change |",
              "|---|---|---|---|---|---|---|---|"]
    for evidence, found in report["thresholds"].items():
        now, needed, change = found["now"], found["needed"], found["change"]
        lines.append(f"| {evidence} | {found['captions']} ({found['wrong']}) | {now['plain']} | "
                     f"{_cell(needed['plain'])} | "
                     f"{_cell(change.get('plain'), signed=True)} | {now['hedged']} | {_cell(needed['hedged'])} | "
                     f"{_cell(change.get('hedged'), signed=True)} |")
    lines += ["", "## Captions", "",
              "| picture | kind | model wrote | said as | token conf. | match | certainty | right | s |",
              "|---|---|---|---|---|---|---|---|---|"]
    for c in report["captions"]:
        lines.append(f"| {c['picture']} | {c['kind']} | {c['raw_caption']} | {c['caption']} | {c['confidence']} | "
                     f"{_cell(c['match'])} | {c['certainty']} | {_cell(c['right'])} | {c['seconds']} |")
    said = [c for c in report["captions"] if "said" in c]
    if said:
        lines += ["", "## What seesay says for each screen", ""]
        lines += [f"- **{c['picture']}**: {c['said']}" for c in said]
    lines += ["", "## By size", "", "Each photo and drawing made this small on its shorter side, then captioned "
              "(seesay captions nothing under its MIN_CAPTION_SIDE).", "",
              "| shorter side (px) | captions | right | mean match of its caption to the full picture |",
              "|---|---|---|---|"]
    for row in report["by_size"]:
        lines.append(f"| {row['side']} | {row['captions']} | {row['right']} of {row['judged']} | "
                     f"{_cell(row['mean_match_to_full'])} |")
    if report["answers"]:
        lines += ["", "## Answers", "", "| picture | question | answer | confidence | right | s |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {a['picture']} | {a['question']} | {a['answer']} | {a['confidence']} | {_cell(a['right'])} | "
                  f"{a['seconds']} |" for a in report["answers"]]
    return "\n".join(lines) + "\n"


def _cell(value, signed: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:+}" if signed else str(value)


if __name__ == "__main__":
    sys.exit(main())
