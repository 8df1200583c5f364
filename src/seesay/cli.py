"""The ``seesay`` command.

    seesay describe FILE...     describe pictures, one line (or JSON object) per file
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
from seesay.core import paths, settings
from seesay.core.errors import SeesayError
from seesay.core.i18n import _
from seesay.core.logs import setup_logging

log = logging.getLogger("seesay.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seesay",
        description=_("Hear what is on your screen or in a picture, described on your own computer."),
    )
    parser.add_argument("--version", action="version", version=f"seesay {__version__}")
    remote = parser.add_mutually_exclusive_group()
    remote.add_argument("--describe", choices=KINDS, metavar="|".join(KINDS),
                        help=_("describe the screen, the active window, the area under the mouse or the clipboard "
                               "image, in the running seesay (started if need be); bind this to an OS shortcut"))
    remote.add_argument("--ask", nargs="?", const="", metavar="QUESTION",
                        help=_("ask the running seesay a question about the last picture (without QUESTION: "
                               "open its question field)"))
    remote.add_argument("--stop", action="store_true", help=_("stop the running seesay's speech"))
    remote.add_argument("--repeat", action="store_true", help=_("repeat the last description"))
    remote.add_argument("--copy", action="store_true", help=_("copy the last description to the clipboard"))
    settings.add_setting_flags(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    describe = commands.add_parser("describe", help=_("describe image files and print the descriptions"))
    describe.add_argument("files", nargs="+", metavar="FILE", help=_("image files to describe, in order"))
    describe.add_argument("--json", action="store_true", help=_("print one JSON object per file"))
    describe.add_argument("--prompt", default=None, help=_("start the description with this text"))
    describe.add_argument("--ask", action="append", default=[], metavar="QUESTION",
                          help=_("also answer this question about each picture (may be given more than once; "
                                 "uses --vqa-model)"))
    settings.add_setting_flags(describe, keys=(*settings.MODEL_KEYS, "vqa_model"))

    commands.add_parser("install-desktop", help=_("add seesay to the desktop's application menu (for this user)"))
    doctor = commands.add_parser("doctor", help=_("show what this computer offers seesay and what it lacks"))
    settings.add_setting_flags(doctor, keys=(*settings.MODEL_KEYS, "vqa_model", "speech_output"))

    download = commands.add_parser("download", help=_("download a description model for offline use"))
    download.add_argument("model", nargs="?", default=None, help=_("base (default), large, or a hub id"))
    settings.add_setting_flags(download, keys=("model_dir",))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    log_file = setup_logging()
    try:
        if args.command == "describe":
            from seesay.describe.files import describe_files

            return describe_files(args.files, settings.resolve(vars(args)), as_json=args.json, prompt=args.prompt,
                                  questions=args.ask)
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


def remote_message(args: argparse.Namespace) -> dict:
    if getattr(args, "describe", None):
        return {"command": "describe", "kind": args.describe}
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
        from seesay.app.instance import send_to_running

        if send_to_running(message):
            return 0  # the running seesay took it
    except ImportError:
        pass  # no Qt: reported below
    saved, problems = config.load_saved()
    overrides = {key: value for key, value in vars(args).items() if key in settings.BY_KEY}
    try:
        from seesay.app.launch import run_app
    except ImportError as error:  # Qt's libraries are missing
        raise SeesayError(
            _("The seesay window cannot start: {detail}").format(detail=error),
            _("Install the Qt libraries (see the README), or use: seesay describe FILE"),
        ) from None
    if message["command"] in ("stop", "repeat", "copy"):
        print(_("seesay is not running; starting it."), file=sys.stderr)
    return run_app(settings.resolve(overrides, saved), problems, first_message=message)


def download(args: argparse.Namespace) -> int:
    from seesay.vision.model_store import ModelStore, parse_model_name

    values = settings.resolve(vars(args))
    store = ModelStore(paths.model_dir(values["model_dir"]))
    name = args.model or values["model"]
    print(_("Downloading {model} into {folder}…").format(
        model=parse_model_name(name).display_name, folder=store.root), file=sys.stderr)
    folder = store.download(name)
    print(_("Ready: {folder}").format(folder=folder))
    return 0


def _print_error(error: SeesayError) -> None:
    log.error("%s", error)
    print(_("Error: {message}").format(message=error.message), file=sys.stderr)
    if error.hint:
        print(error.hint, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
