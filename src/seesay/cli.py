"""The ``seesay`` command.

    seesay describe FILE...     describe pictures, one line (or JSON object) per file
    seesay describe -r FOLDER   describe every picture in a folder once (kept in the picture index)
    seesay search WORDS         find described pictures by words
    seesay download [MODEL]     fetch a model once, for offline use
    seesay --version

Exit codes: 0 when everything asked for worked, 1 when anything failed, 2 for usage errors.
No traceback reaches the user: expected failures print their message and what to do next;
anything unexpected is summarised in one line and written in full to the log file.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from seesay import __version__
from seesay.capture.base import KINDS
from seesay.core import i18n, paths, settings
from seesay.core.errors import ModelNotAvailableError, SeesayError
from seesay.core.i18n import N_, _
from seesay.core.logs import setup_logging

log = logging.getLogger("seesay.cli")


#: argparse's own words (its usage line, headings and errors), said in seesay's language too:
#: argparse looks its module's ``_`` up each time it writes them (build_parser points it at ours).
ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"), N_("one of the arguments %s is required"),
    N_("expected one argument"), N_("expected at most one argument"), N_("expected at least one argument"),
    N_("not allowed with argument %s"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
)


def build_parser() -> argparse.ArgumentParser:
    argparse._ = _  # argparse has no other way in to translate its words
    parser = argparse.ArgumentParser(
        prog="seesay",
        # argparse's own usage lists every flag (twenty lines); the flags are listed below with their help
        usage=_("%(prog)s [FLAGS] [--describe KIND | --ask [QUESTION] | --stop | --repeat | --copy]\n"
                "       %(prog)s describe|search|download|doctor|install-desktop ... (--help after one says more)"),
        description=_("Hear what is on your screen or in a picture, described on your own computer."),
    )
    parser.add_argument("--version", action="version", version=f"seesay {__version__}",
                        help=_("show seesay's version and exit"))
    remote = parser.add_mutually_exclusive_group()
    remote.add_argument("--describe", nargs="+", metavar=("|".join((*KINDS, "rect")), "X,Y,W,H"),
                        help=_("describe the screen, the active window, the area under the mouse, the focused element "
                               "or the clipboard image, in the running seesay (started if need be); bind this to an "
                               "OS shortcut. rect X,Y,W,H describes exactly that rectangle of the screen (pixels), "
                               "for a screen reader's object"))
    remote.add_argument("--ask", nargs="?", const="", metavar="QUESTION",
                        help=_("ask the running seesay a question about the last picture (without QUESTION: "
                               "open its question field)"))
    remote.add_argument("--stop", action="store_true", help=_("stop the running seesay's speech"))
    remote.add_argument("--repeat", action="store_true", help=_("repeat the last description"))
    remote.add_argument("--copy", action="store_true", help=_("copy the last description to the clipboard"))
    parser.add_argument("--label", metavar="TEXT",
                        help=_("with --describe rect: what the rectangle is, said first (for example: graphic, "
                               "team photo)"))
    settings.add_setting_flags(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="seesay")

    describe = commands.add_parser("describe", help=_("describe image files and print the descriptions"))
    describe.add_argument("files", nargs="+", metavar="FILE", help=_("image files to describe, in order"))
    describe.add_argument("--json", action="store_true", help=_("print one JSON object per file"))
    describe.add_argument("--raw", action="store_true",
                          help=_("print only the description model's caption of each whole picture, as it wrote it: "
                                 "not hedged, no text read (not with folders)"))
    _add_folder_flags(describe)
    describe.add_argument("--prompt", default=None, help=_("start the description with this text"))
    describe.add_argument("--ask", action="append", default=[], metavar="QUESTION",
                          help=_("also answer this question about each picture (may be given more than once; "
                                 "uses --vqa-model)"))
    settings.add_setting_flags(describe, keys=(*settings.MODEL_KEYS, "vqa_model", "itm_model", "candidates",
                                               "language", "translation_model"))

    search = commands.add_parser("search", help=_("find described pictures by words, best first"))
    search.add_argument("query", nargs="+", metavar="WORDS", help=_("words to find, for example: dog on a beach"))
    search.add_argument("--json", action="store_true", help=_("print one JSON object per file, with what was said "
                                                              "about it and its score"))
    search.add_argument("--limit", type=int, default=20, metavar="N", help=_("at most N files (default: 20)"))
    search.add_argument("--index", default=None, metavar="FILE", help=_("the picture index to search (default: "
                                                                        "the one in seesay's data folder)"))
    search.add_argument("--meaning", action="store_true",
                        help=_("find pictures by what they show, not by the words said about them (needs the "
                               "image-text matching model, --itm-model, when the pictures were described)"))
    settings.add_setting_flags(search, keys=("itm_model", "device", "precision", "model_dir"))

    commands.add_parser("install-desktop", help=_("add seesay to the desktop's application menu (for this user)"))
    doctor = commands.add_parser("doctor", help=_("show what this computer offers seesay and what it lacks"))
    settings.add_setting_flags(doctor, keys=(*settings.MODEL_KEYS, "vqa_model", "itm_model", "speech_output",
                                             "memory_budget", "language"))

    download = commands.add_parser("download", help=_("download a description model for offline use"))
    download.add_argument("model", nargs="?", default=None, help=_("base (default), large, or a hub id"))
    settings.add_setting_flags(download, keys=("model_dir", "language"))
    return parser


def _add_folder_flags(describe: argparse.ArgumentParser) -> None:
    """The flags of ``seesay describe --recursive`` (``describe.folders``)."""
    folders = describe.add_argument_group(_("folders of pictures"), _(
        "With --recursive, FILE may be a folder: every picture in it and its subfolders is described once. "
        "Pictures already in the picture index (the same content, described by the same model) are not "
        "described again, so a stopped run goes on where it stopped (Ctrl+C stops cleanly)."))
    folders.add_argument("--recursive", "-r", action="store_true", help=_("describe the pictures in folders and "
                                                                          "their subfolders"))
    folders.add_argument("--include", action="append", default=[], metavar="PATTERN",
                         help=_("only files matching PATTERN, like *.jpg or holidays/*.png (case is ignored; may be "
                                "given more than once; default: PNG, JPEG, WebP, GIF, BMP and TIFF files)"))
    folders.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                         help=_("leave out files and folders matching PATTERN (may be given more than once)"))
    folders.add_argument("--format", choices=("text", "jsonl", "csv"), default=None,
                         help=_("what is printed: path and description (text, the default), one JSON object a "
                                "line (jsonl), or CSV with a header row"))
    folders.add_argument("--sidecar", action="store_true",
                         help=_("write each description beside its picture as alt text: photo.jpg.alt.txt"))
    folders.add_argument("--write-metadata", action="store_true",
                         help=_("write each description into the picture's own metadata (PNG: Description text; "
                                "JPEG: XMP dc:description and EXIF ImageDescription); the pixels are not touched"))
    folders.add_argument("--batch", type=int, default=None, metavar="N",
                         help=_("pictures described together (default: 8)"))
    folders.add_argument("--no-index", action="store_true",
                         help=_("do not keep the descriptions in the picture index (seesay search finds them there)"))
    folders.add_argument("--index", default=None, metavar="FILE",
                         help=_("the picture index to use (default: one in seesay's data folder)"))
    cluster = describe.add_argument_group(_("on a Ray cluster"), _(
        "With --ray, the pictures of a folder job are described by model workers on a Ray cluster (one per GPU "
        "where it has GPUs); everything else, the output and the index, stays here. Needs: pip install "
        "\"seesay[cluster]\", and seesay and the model on every machine of the cluster."))
    cluster.add_argument("--ray", default=None, metavar="ADDRESS",
                         help=_("describe on the Ray cluster at ADDRESS (ray://HOST:10001 from outside it, HOST:6379 "
                                "on one of its machines), or local: a Ray on this computer"))
    cluster.add_argument("--shared-files", action="store_true",
                         help=_("with --ray: the cluster's machines see the pictures at the same paths, so only "
                                "the paths are sent (otherwise each file is read here and sent)"))
    cluster.add_argument("--ray-workers", type=int, default=None, metavar="N",
                         help=_("with --ray: N model workers (default: one per GPU, or one per 4 CPUs)"))


def _describe(args: argparse.Namespace) -> int:
    """``seesay describe``: the folder job (``describe.folders``) with --recursive or one of its
    outputs, else file by file as always (``describe.files``); both keep what they describe in the
    index unless --no-index."""
    from pathlib import Path

    values = settings.resolve(vars(args))
    index_location = Path(args.index).expanduser() if args.index else None
    if args.recursive or args.format or args.sidecar or args.write_metadata or args.batch or args.ray:
        if args.raw:
            raise SeesayError(_("--raw describes files one by one, not folders."),
                              _("Leave out --recursive, --format, --sidecar, --write-metadata and --batch."))
        from seesay.describe.folders import DEFAULT_BATCH, FolderOptions, describe_folders

        options = FolderOptions(include=args.include, exclude=args.exclude,
                                output=args.format or ("jsonl" if args.json else "text"), sidecar=args.sidecar,
                                write_metadata=args.write_metadata, batch=args.batch or DEFAULT_BATCH,
                                index_location=index_location, use_index=not args.no_index,
                                ray=_ray_options(args))
        return describe_folders(args.files, values, options)
    from seesay.describe.files import describe_files

    return describe_files(args.files, values, as_json=args.json, prompt=args.prompt, questions=args.ask,
                          index_location=index_location, use_index=not args.no_index, raw=args.raw)


def _ray_options(args: argparse.Namespace):
    """``--ray``'s options for the folder job, or None to describe here."""
    if args.ray is None:
        if args.shared_files or args.ray_workers:
            raise SeesayError(_("--shared-files and --ray-workers go with --ray."),
                              _("Add --ray ADDRESS (or --ray local), or leave them out."))
        return None
    from seesay.describe.ray_job import RayOptions

    return RayOptions(address=args.ray, shared_files=args.shared_files, workers=args.ray_workers)


def search(args: argparse.Namespace) -> int:
    """``seesay search WORDS``: matching files from the picture index, best first, one path a line."""
    import json
    from pathlib import Path

    from seesay.describe.index import PictureIndex, default_location, results_as_json

    location = Path(args.index).expanduser() if args.index else default_location()
    if not location.exists():
        raise SeesayError(_("There is no picture index yet ({path}).").format(path=location),
                          _("Describe some pictures first, for example: seesay describe --recursive ~/Pictures"))
    words = " ".join(args.query)
    with PictureIndex(location, notify=lambda text: print(text, file=sys.stderr)) as index:
        if args.meaning:
            found = _by_meaning(index, words, settings.resolve(vars(args)), max(1, args.limit))
        else:
            found = index.search(words, limit=max(1, args.limit))
    for result in found:
        print(json.dumps(results_as_json([result])[0]) if args.json else result.path)
    if not found:
        print(_("No described picture matches."), file=sys.stderr)
        return 1
    return 0


def _by_meaning(index, words: str, values: dict, limit: int) -> list:
    """``seesay search --meaning``: the words' embedding against the pictures' (``vision.itm_search``)."""
    from seesay.vision.itm import load_matcher
    from seesay.vision.itm_search import words_vector

    matcher = load_matcher(values)
    if matcher is None:
        raise SeesayError(_("Search by meaning needs the image-text matching model, which is not on this computer."),
                          _("Download it with: seesay download Salesforce/blip-itm-base-coco, then describe the "
                            "pictures again with seesay describe --recursive (only what is missing is made)."))
    found = index.by_meaning(words_vector(matcher, words), str(matcher.name), limit=limit)
    if not found:
        print(_("No picture in the index was described with this image-text matching model yet: describe them "
                "with seesay describe --recursive, and they are found by meaning too."), file=sys.stderr)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    argv = _rectangle_as_value(sys.argv[1:] if argv is None else list(argv))
    i18n.use_language(_language_asked(argv))  # before the parser: its help is translated
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_describe(parser, args)
    log_file = setup_logging()
    try:
        if args.command == "describe":
            return _describe(args)
        if args.command == "search":
            return search(args)
        if args.command == "download":
            return download(args)
        if args.command == "install-desktop":
            from seesay.desktop_integration import install_menu_entry

            for path in install_menu_entry():
                print(path)
            return 0
        if args.command == "doctor":
            from seesay.doctor import doctor

            return doctor(settings.resolve(vars(args)))
        return start_app(args)
    except SeesayError as error:
        _print_error(error)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: one line for the user, the traceback for the log
        log.exception("unexpected error")
        print(_("seesay hit an unexpected problem: {detail}").format(detail=f"{type(error).__name__}: {error}"),
              file=sys.stderr)
        if log_file:
            print(_("Details are in {path}").format(path=log_file), file=sys.stderr)
        return 1


def _language_asked(argv: list[str]) -> str:
    """``--language de`` or ``--language=de`` anywhere on the command line (a valid one; argparse
    reports a wrong one, in the system's language), else "auto"."""
    for index, arg in enumerate(argv):
        if arg == "--language" and index + 1 < len(argv) and argv[index + 1] in settings.LANGUAGES:
            return argv[index + 1]
        if arg.startswith("--language=") and arg.partition("=")[2] in settings.LANGUAGES:
            return arg.partition("=")[2]
    return "auto"


def _rectangle_as_value(argv: list[str]) -> list[str]:
    """``--describe rect -20,0,300,200`` (a monitor left of the main one has negative X): argparse
    would take the rectangle for an option. A leading space makes it a value (stripped later)."""
    argv = list(argv)
    for index, arg in enumerate(argv[:-2]):
        if arg == "--describe" and argv[index + 1] == "rect" and argv[index + 2].startswith("-"):
            argv[index + 2] = " " + argv[index + 2]
    return argv


def _check_describe(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--describe KIND``, or ``--describe rect X,Y,W,H``; ``--label`` only with a rectangle.
    What is wrong *inside* a rectangle is said by the running seesay, which a screen reader's
    add-on cannot show a terminal for."""
    if args.command == "describe" and args.ask and (args.recursive or args.format or args.sidecar
                                                    or args.write_metadata):
        parser.error(_("--ask goes with plain files, not with --recursive, --format, --sidecar or --write-metadata"))
    if args.command == "describe" and args.prompt and args.recursive:
        parser.error(_("--prompt goes with plain files, not with --recursive"))
    describe = getattr(args, "describe", None)
    if describe is None:
        if getattr(args, "label", None) is not None:
            parser.error(_("--label goes with --describe rect X,Y,W,H"))
        return
    kind, rest = describe[0], describe[1:]
    if kind not in (*KINDS, "rect"):
        parser.error(_("--describe: choose one of {choices}").format(choices=", ".join((*KINDS, "rect"))))
    if kind != "rect" and (rest or args.label is not None):
        parser.error(_("only --describe rect takes a rectangle and a --label"))
    if len(rest) > 1:
        parser.error(_("--describe rect takes one rectangle, X,Y,W,H (put a label with spaces in quotes after "
                       "--label)"))


def remote_message(args: argparse.Namespace) -> dict:
    describe = getattr(args, "describe", None)
    if describe and describe[0] == "rect":
        message = {"command": "describe", "kind": "rect", "rect": describe[1].strip() if len(describe) > 1 else ""}
        return {**message, "label": args.label} if getattr(args, "label", None) else message
    if describe:
        return {"command": "describe", "kind": describe[0]}
    if getattr(args, "ask", None) is not None:
        return {"command": "ask", "question": args.ask}
    if getattr(args, "stop", False):
        return {"command": "stop"}
    if getattr(args, "repeat", False):
        return {"command": "repeat"}
    if getattr(args, "copy", False):
        return {"command": "copy"}
    return {"command": "show"}


def start_app(args: argparse.Namespace) -> int:
    from seesay.core import config

    message = remote_message(args)
    try:
        from seesay.app.instance import Delivery, deliver

        delivery = deliver(message)
    except paths.UnsafeFolderError as error:  # the app starts, and says why commands cannot reach it
        log.warning("the runtime folder is not private: %s", error.folder)
        delivery = None
    if delivery is Delivery.TAKEN:
        return 0  # the running seesay took it
    if delivery is Delivery.WAITING:  # never taken for "not running": a second seesay would start
        print(_("seesay is busy; your command waits for it."), file=sys.stderr)
        return 0
    if delivery is Delivery.REFUSED:
        print(_("The running seesay does not know this command: it may be an older version."), file=sys.stderr)
        return 1
    saved, problems = config.load_saved()
    overrides = {key: value for key, value in vars(args).items() if key in settings.BY_KEY}
    try:
        from seesay.app.launch import run_app
    except ImportError as error:  # Qt's libraries are missing
        raise SeesayError(
            _("The seesay window cannot start: {detail}").format(detail=error),
            _("Install the Qt libraries (see the README), or use: seesay describe FILE"),
        ) from None
    values = settings.resolve(overrides, saved)
    choice = i18n.use_language(values["language"])  # a saved language, now the settings file is read
    if choice.language == "en" and choice.unavailable:  # said once, at start, with the other problems
        problems = [*problems, _("seesay is not translated into {language} yet, so it speaks and shows English."
                                 ).format(language=choice.unavailable)]
    if message["command"] in ("stop", "repeat", "copy"):
        print(_("seesay is not running; starting it."), file=sys.stderr)
    return run_app(values, problems, first_message=message)


def download(args: argparse.Namespace) -> int:
    """Fetch a model, or check a downloaded one (every file's sha256) and fetch again what is damaged."""
    from seesay.vision.model_store import ModelStore, parse_model_name

    values = settings.resolve(vars(args))
    store = ModelStore(paths.model_dir(values["model_dir"]))
    name = args.model or values["model"]
    ref = parse_model_name(name)
    print(_("Downloading {model} into {folder}…").format(model=ref.display_name, folder=store.root), file=sys.stderr)
    from seesay.translation.models import is_translation_model, ready_after_download

    translation = is_translation_model(str(name))
    try:
        folder = store.download(name, progress=_download_progress(),
                                notify=lambda text: print(text, file=sys.stderr, flush=True),
                                verify=ready_after_download if translation else None)
    except ModelNotAvailableError as error:
        if ref.hub_id is None:
            raise
        # The store's hint is "download it with seesay download": the command that just failed.
        raise ModelNotAvailableError(error.message, _("Try again once this computer is online: files that arrived "
                                                      "whole are kept.\n"
                                                      "Without a connection here: on another computer that is "
                                                      "online, run seesay download {name} (it prints the model's "
                                                      "folder when done), copy that folder to this computer as "
                                                      "{folder}, or anywhere and use it with --model "
                                                      "/path/to/folder (in the window: Choose a model folder)."
                                                      ).format(name=ref.name, folder=store.folder_for(ref.hub_id))
                                     ) from None
    print(_("Ready: {folder}").format(folder=folder))
    return 0


def _download_progress():
    """A progress line for every tenth of the download: readable by a screen reader, and in a log."""
    said = {"tenths": 0}

    def progress(done: int, total: int) -> None:
        tenths = 10 * done // total if total else 0
        if tenths > said["tenths"]:
            said["tenths"] = tenths
            print(_("{percent}% of {total} MB").format(percent=10 * tenths, total=round(total / 1e6)),
                  file=sys.stderr, flush=True)

    return progress


def _print_error(error: SeesayError) -> None:
    log.error("%s", error)
    print(_("Error: {message}").format(message=error.message), file=sys.stderr)
    if error.hint:
        print(error.hint, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
