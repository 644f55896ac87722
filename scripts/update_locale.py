#!/usr/bin/env python
"""Refresh the English catalogue: extract messages (needs GNU gettext), fill in the
English of scripts/translations_en.py, compile. Fails when a message has no English."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "chuangwen" / "locale" / "en" / "LC_MESSAGES" / "django.po"
sys.path.insert(0, str(ROOT / "scripts"))
EN: dict[str, str] = {}
# One file per part of the product: translations_en.py, translations_en_cases.py, …
for module in sorted(p.stem for p in (ROOT / "scripts").glob("translations_en*.py")):
    EN.update(__import__(module).EN)

ENTRY = re.compile(
    r'((?:#.*\n)*)msgid ((?:".*"\n)+)(msgid_plural ((?:".*"\n)+))?((?:msgstr.*\n(?:".*"\n)*)+)'
)


def unquote(block: str) -> str:
    return (
        "".join(re.findall(r'"(.*)"', block))
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode()
    )


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    env = {**os.environ, "CHUANGWEN_TESTING": "1"}
    subprocess.run(
        [
            sys.executable,
            "../manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-location",
            "--ignore",
            "testing/*",
            "--ignore",
            "*/tests/*",
            "--ignore",
            "demo/*",
        ],
        cwd=ROOT / "chuangwen",
        env=env,
        check=True,
    )
    text = PO.read_text(encoding="utf-8")
    missing = []

    def fill(match):
        comments, msgid_block, _, plural_block, _ = match.groups()
        msgid = unquote(msgid_block)
        if not msgid:
            return match.group(0)
        comments = "".join(line + "\n" for line in comments.splitlines() if "fuzzy" not in line)
        if plural_block:
            key = (msgid, unquote(plural_block))
            if key not in EN:
                missing.append(msgid)
                return match.group(0)
            one, many = EN[key]
            return (
                f"{comments}msgid {quote(msgid)}\nmsgid_plural {quote(key[1])}\n"
                f"msgstr[0] {quote(one)}\nmsgstr[1] {quote(many)}\n"
            )
        if msgid not in EN:
            missing.append(msgid)
            return match.group(0)
        return f"{comments}msgid {quote(msgid)}\nmsgstr {quote(EN[msgid])}\n"

    text = ENTRY.sub(fill, text)
    PO.write_text(text, encoding="utf-8")
    if missing:
        print("no English for:", *missing, sep="\n  ")
        return 1
    subprocess.run(
        [sys.executable, "../manage.py", "compilemessages", "-l", "en"],
        cwd=ROOT / "chuangwen",
        env=env,
        check=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
