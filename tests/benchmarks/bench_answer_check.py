"""Does the image-text matcher catch wrong answers without rejecting right ones? The question
model's answers on scenes of its world and on harder ones (noise, blur, low contrast, two shapes,
cut off: ``bench_capfilt.harder_scene``), each said as a caption (``vqa.statement_of``: "what colour
is the shape?", "red" -> "a red shape") and read by the matcher against the picture.

    python tests/benchmarks/bench_answer_check.py [--count 20] [--write]

Prints, for right and for wrong answers, how many statements the matcher accepts (0.5 or more),
and what seesay would say of each answer with the token confidence alone, and with a rejected
statement hedging the answer or replacing it by "I can't tell". ``--write`` keeps the result as
``answer_check.json`` beside the matcher's weights (seesay lets a matcher's rejection silence an
answer only where such a measurement says it catches wrong answers and keeps right ones:
``vision.itm.answer_check_of``) and the question model's token thresholds with how often each way
of saying was right as ``confidence.json`` beside its weights (only then may its token
probabilities alone make seesay say "I can't tell").
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_capfilt import KINDS, harder_scene  # noqa: E402
from fixtures.scenes import draw_random_scene  # noqa: E402

MODELS = HERE.parent / "fixtures" / "models"
#: One phrasing of each kind of question the scene question model learnt, with what it asks about.
QUESTIONS = {"what color is the shape?": "colour", "what shape is it?": "shape",
             "what color is the background?": "background"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vqa-model", type=Path, default=MODELS / "scenes-vqa")
    parser.add_argument("--itm-model", type=Path, default=MODELS / "scenes-itm")
    parser.add_argument("--count", type=int, default=20, help="scenes of each kind")
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--write", action="store_true", help="keep the result beside the matcher's weights")
    args = parser.parse_args(argv)

    import torch

    from seesay.describe.compose import certainty_of
    from seesay.vision.itm import ANSWER_CHECK_FILE, BlipMatcher
    from seesay.vision.model_store import CONFIDENCE_FILE
    from seesay.vision.vqa import BlipAnswerer, statement_of

    torch.set_num_threads(1)
    answerer = BlipAnswerer.load(args.vqa_model, device="cpu", precision="int8")
    matcher = BlipMatcher.load(args.itm_model, device="cpu", precision="int8")
    rng = random.Random(args.seed)
    pictures = [("its world", {scene.caption}, image) for scene, image in
                (draw_random_scene(rng) for _ in range(args.count))]
    pictures += [(kind, *harder_scene(kind, rng)) for kind in KINDS for _ in range(args.count)]
    rows = []  # (group, right, confidence, match)
    for index, (group, captions, image) in enumerate(pictures):
        for question, about in QUESTIONS.items():
            answer = answerer.answer(image, question, picture_key=index)
            statement = statement_of(question, answer.text)
            match = matcher.match(image, statement, picture_key=index).probability if statement else None
            right = any(answer.text == said_of(caption, about) for caption in captions)  # two shapes: either
            rows.append((group, right, answer.confidence, match))

    print(f"{len(rows)} answers ({len(pictures)} pictures x {len(QUESTIONS)} questions); "
          f"matcher {args.itm_model.name}, int8")
    print(f"{'answers':<28} {'n':>4} {'statement accepted':>19} {'plain: tokens':>14} {'hedge on reject':>16} "
          f"{'silence on reject':>18}")
    result = {}
    for name, keep in (("right, its world", lambda r: r[1] and r[0] == "its world"),
                       ("right, harder scenes", lambda r: r[1] and r[0] != "its world"),
                       ("wrong (all harder scenes)", lambda r: not r[1])):
        chosen = [row for row in rows if keep(row)]
        accepted = sum(row[3] is not None and row[3] >= 0.5 for row in chosen)
        said = {way: [answer_certainty(row[2], row[3], way, certainty_of) for row in chosen]
                for way in ("tokens", "hedge", "silence")}
        cells = {way: "/".join(str(kinds.count(kind)) for kind in ("plain", "hedged", "unsure"))
                 for way, kinds in said.items()}
        print(f"{name:<28} {len(chosen):>4} {accepted:>19} {cells['tokens']:>14} {cells['hedge']:>16} "
              f"{cells['silence']:>18}")
        result[name] = {"answers": len(chosen), "statement_accepted": accepted,
                        **{f"plain/probably/cannot tell, {way}": cells[way] for way in cells}}
    print("(plain/probably/cannot tell: with the token confidence alone; with a rejected statement making the "
          "answer 'probably'; with it making it 'I can't tell')")
    calibration = {}
    for band, name in (("plain", "said plainly"), ("hedged", "probably"), ("unsure", "cannot tell")):
        said = [row for row in rows if certainty_of(row[2]) == band]
        calibration[name] = f"{sum(row[1] for row in said)} of {len(said)} right"
    print("token confidence alone, how often each way of saying is right: "
          + "; ".join(f"{name} {share}" for name, share in calibration.items()))
    right = [row for row in rows if row[1] and row[3] is not None]
    wrong = [row for row in rows if not row[1] and row[3] is not None]
    kept = sum(row[3] >= 0.5 for row in right) / max(1, len(right))
    caught = sum(row[3] < 0.5 for row in wrong) / max(1, len(wrong))
    applies = kept >= 0.95 and caught >= 0.5
    print(f"right answers' statements accepted {kept:.0%}, wrong answers' rejected {caught:.0%}: a rejection "
          f"{'may' if applies else 'may not'} make seesay say \"I can't tell\" with this matcher")
    if args.write:
        record = {"silence_on_reject": applies, "right_statements_accepted": round(kept, 3),
                  "wrong_statements_rejected": round(caught, 3),
                  "measured_with": f"python tests/benchmarks/bench_answer_check.py --count {args.count} --write "
                                   f"(question model {args.vqa_model.name}, int8, seed {args.seed})",
                  "groups": result}
        path = args.itm_model / ANSWER_CHECK_FILE
        path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"written: {path}")
        thresholds = {"model": args.vqa_model.name, "measure": "probability of the least sure answer token",
                      "plain_at": 0.95, "hedge_at": 0.70,
                      "measured_with": record["measured_with"].replace(" (question", " (matcher "
                                                                         f"{args.itm_model.name}, question"),
                      "how often each way of saying is right, token confidence alone": calibration,
                      "note": "the question model's answers are said by these thresholds (compose_answer); "
                              "a question model without this file is never silenced by its tokens alone"}
        path = args.vqa_model / CONFIDENCE_FILE
        path.write_text(json.dumps(thresholds, indent=2) + "\n", encoding="utf-8")
        print(f"written: {path}")
    return 0


def said_of(caption: str, about: str) -> str:
    """The colour, shape or background a scene caption names ("a red circle on a white background")."""
    words = caption.split()
    return {"colour": words[1], "shape": words[2], "background": words[5]}[about]


def answer_certainty(confidence: float, match: float | None, way: str, certainty_of) -> str:
    """How an answer is said: by its tokens, then (``way``) a rejected statement hedges or silences it."""
    by_tokens = certainty_of(confidence)
    if way == "tokens" or match is None or match >= 0.5:
        return by_tokens
    return "unsure" if way == "silence" else min(by_tokens, "hedged", key=("unsure", "hedged", "plain").index)


if __name__ == "__main__":
    sys.exit(main())
