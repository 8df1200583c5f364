"""Misreadings of file names and command options that can be put right without guessing.

Tesseract reads the small "o" of a file's extension as a zero in interface fonts ("2026.ods" read
"2026.0ds" on a selected row or a dark theme): the zero stands where a letter must be. A name's
extension is put right only when the word, with its zeros read as o, ends in an extension that
people's files have and the word as read does not: "3.0ms" or "v1.0" stay as they are.

Read beside another language's data, the dot before an extension may come out a comma
("photos,odt'" in a terminal's listing, which quotes names with spaces): put right for extensions
that are no word.

A command's one-letter option in a terminal or a man page ("-n,") is read with a long dash ("—n,"):
a word that is a long dash and one letter is that option.

The word "I" is read as a bar ("Look what | saw", "| am writing to confirm"), which is no word and
was left out: a bar before a word that follows "I" in a sentence ("am", "saw", "have") is "I"; a
shell's pipe ("ls | grep") is left as it was.
"""

from __future__ import annotations

import re

#: Extensions of the files people keep (documents, pictures, sound, video, archives, code) that have an
#: "o" a zero can stand for.
EXTENSIONS = frozenset({
    "odt", "ods", "odp", "odg", "odf", "odc", "doc", "docx", "docm", "dot", "dotx", "pot", "potx", "json",
    "log", "mov", "ogg", "oga", "ogv", "opus", "iso", "woff", "woff2", "otf", "ico", "po", "mo", "mobi",
    "toml", "org", "ora", "book", "lock", "go", "kdbx", "zoo", "webloc", "oxps", "xopp",
})
#: A long dash and one letter or digit, perhaps with a comma: a one-letter option read with the wrong dash.
_OPTION = re.compile(r"^[\u2013\u2014](?P<letter>[A-Za-z0-9])(?P<after>,?)$")
#: Extensions that are no word of a sentence: a comma before one, with no space, is the name's dot misread
#: ("Holiday photos,odt" in a terminal listing read beside Spanish or German data).
FILE_ONLY = frozenset({
    "odt", "ods", "odp", "odg", "docx", "docm", "dotx", "xlsx", "xls", "pptx", "ppt", "pdf", "txt", "md", "csv",
    "json", "png", "jpg", "jpeg", "gif", "webp", "svg", "tif", "tiff", "heic", "mp3", "mp4", "ogg", "opus", "flac",
    "wav", "mkv", "webm", "zip", "gz", "tgz", "xz", "iso", "html", "htm", "xml", "py", "sh", "epub", "rtf",
})
#: A word ending in a dot and an extension of two to five letters and zeros (the zeros misread o's).
#: Beside German language data, its dot is read as a comma ("2026,0ds'": ls quotes names with spaces).
_NAME = re.compile(r"^(?P<stem>.+)[.,](?P<extension>[a-zA-Z0]{2,5})(?P<after>[,;:)'\u2019\"]?)$")


def with_extension_fixed(word: str) -> str:
    """``word`` with the zeros of its file extension read as o, where that gives a known extension."""
    found = _NAME.match(word)
    if found is None:
        return word
    if "0" not in found["extension"]:
        comma = word[len(found["stem"])] == ","
        if comma and found["extension"].lower() in FILE_ONLY and not found["stem"][-1].isspace():
            return found["stem"] + "." + found["extension"] + found["after"]
        return word
    extension = found["extension"]
    letters = [ch for ch in extension if ch != "0"]
    upper = bool(letters) and all(ch.isupper() for ch in letters)
    fixed = extension.replace("0", "O" if upper else "o")
    if fixed.lower() not in EXTENSIONS or extension.lower() in EXTENSIONS:
        return word
    return found["stem"] + "." + fixed + found["after"]


def fixed_word(word: str) -> str:
    """``word`` as read, with a misread file extension or option dash put right."""
    option = _OPTION.match(word)
    if option is not None:
        return "-" + option["letter"] + option["after"]
    return with_extension_fixed(word)


#: Words that follow the word "I" (a bar before one of them is that word, misread).
AFTER_I = frozenset({
    "am", "have", "had", "was", "will", "would", "can", "could", "should", "shall", "may", "might", "must", "do",
    "did", "don't", "didn't", "can't", "won't", "think", "thought", "hope", "saw", "see", "want", "wanted", "know",
    "knew", "need", "feel", "felt", "love", "like", "just", "also", "really", "believe", "went", "got", "made",
    "said", "wish", "agree", "understand", "remember", "found", "took", "told", "asked", "write", "wrote",
    "enclose", "look", "apologise", "apologize", "am,", "'m", "\u2019m", "i'm",
})


def with_i_put_back(words: list) -> list:
    """``words`` (text, box, how sure) with a bar read for "I" before a word that follows "I" made
    "I" again (as sure as that word), and every other bar left out."""
    fixed = []
    for index, (text, box, sure) in enumerate(words):
        if text != "|":
            fixed.append((text, box, sure))
            continue
        after = words[index + 1] if index + 1 < len(words) else None
        if after is not None and after[0].lower().rstrip(".,;:!?") in AFTER_I:
            fixed.append(("I", box, max(sure, after[2])))
    return fixed
