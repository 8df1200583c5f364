"""A hub Marian model (OPUS-MT) converted to CTranslate2's int8 format, once, on first use.

Only safetensors weights are read: a folder whose weights are only ``pytorch_model.bin`` (a pickle,
which can run code when loaded) is refused. The conversion writes into a temporary folder beside
the target and renames it into place when whole, so a conversion cut short is never used. It needs
torch and transformers (seesay's captioner needs them too) and takes seconds for an OPUS-MT model.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from seesay.core.errors import ModelLoadError, ModelNotAvailableError
from seesay.core.i18n import _

#: What a hub Marian folder must hold to be converted.
MARIAN_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
#: Copied beside the converted model: the SentencePiece models the translator cuts text with.
PIECE_FILES = ("source.spm", "target.spm")


def is_marian_folder(folder: Path) -> bool:
    """Whether ``folder`` looks like a hub Marian model (to be converted), whole or not."""
    return (folder / "config.json").is_file() and (folder / "source.spm").is_file()


def is_safe_marian_folder(folder: Path) -> bool:
    """Whether ``folder`` is a whole hub Marian model with safetensors weights."""
    try:
        check_marian_folder(folder)
    except (ModelNotAvailableError, OSError, ValueError):
        return False
    return True


def check_marian_folder(folder: Path) -> None:
    """Refuse a Marian folder that cannot be converted safely: files missing, or weights that are
    not safetensors."""
    from seesay.vision.model_checks import check_files_inside

    check_files_inside(folder)
    missing = [name for name in MARIAN_FILES if not (folder / name).is_file()]
    if not any(path.suffix == ".safetensors" for path in folder.iterdir()):
        if (folder / "pytorch_model.bin").is_file() or any(folder.glob("*.h5")):
            raise ModelNotAvailableError(
                _("The translation model in {folder} has no safetensors weights; seesay does not load other "
                  "formats, because they can run code.").format(folder=folder),
                _("Use a copy of the model saved as safetensors, or one already converted to CTranslate2."),
                spoken=_("That translation model is in a format seesay does not load. Descriptions are said "
                         "in English."))
        missing.append("model.safetensors")
    if missing:
        raise ModelNotAvailableError(
            _("{folder} is not a complete Marian translation model: {missing} missing.").format(
                folder=folder, missing=", ".join(missing)),
            _("Download the model again with: seesay download"),
            spoken=_("That translation model is not complete. Descriptions are said in English."))


def convert_marian(source: Path, target: Path, quantization: str = "int8") -> Path:
    """Convert the hub Marian model in ``source`` into a CTranslate2 model folder ``target``."""
    check_marian_folder(source)
    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError as error:
        raise ModelLoadError(_("Translation needs the ctranslate2 and sentencepiece packages ({detail}).").format(
            detail=error), _("Install them with: pip install ctranslate2 sentencepiece")) from None

    class SafetensorsOnly(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            return model_class.from_pretrained(model_name_or_path, use_safetensors=True, **kwargs)

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        SafetensorsOnly(str(source), copy_files=list(PIECE_FILES)).convert(
            str(work / "model"), quantization=quantization, force=True)
        for name in (work / "model").iterdir():
            name.rename(work / name.name)
        (work / "model").rmdir()
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    except (ModelNotAvailableError, ModelLoadError):
        raise
    except Exception as error:  # noqa: BLE001 - transformers and ctranslate2 raise many kinds
        raise ModelLoadError(
            _("The translation model in {folder} could not be converted: it may be damaged or be another kind "
              "of model.").format(folder=source),
            f"{type(error).__name__}: {str(error).splitlines()[0][:160] if str(error) else ''}",
            spoken=_("The translation model could not be prepared. Descriptions are said in English.")) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
