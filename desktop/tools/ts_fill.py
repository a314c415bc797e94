"""Fill the desktop app's untranslated strings from translations the project already has.

    .venv/bin/python desktop/tools/ts_fill.py                  # report what is still missing
    .venv/bin/python desktop/tools/ts_fill.py --new ar=new.json   # and add new ones

Run after `make desktop-translations` has collected new strings (marked
`type="unfinished"` in the .ts files). For each one, in this order:

1. the same English sentence already translated in another screen of the app;
2. the same sentence (msgid) in the web's catalog, src/hanout/locale/LANG/…/django.po,
   so the app and the web say the same thing;
3. a JSON file given with `--new LANG=FILE`: {"English source": "translation"}.

What is still missing is listed (and the exit status is 1); Qt Linguist
(`pyside6-linguist`) is the tool for those too. Then run `make desktop-translations`
again to compile the .qm files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "desktop" / "src" / "hanout_desktop" / "i18n"
WEB = ROOT / "src" / "hanout" / "locale"
LANGUAGES = ("fr", "ar", "zgh")
# Qt's placeholders are %1, %2…; the web's are %(name)s — a web sentence with those is
# not taken (its placeholders would not fit).
WEB_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def web_catalog(language: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for po in (WEB / language / "LC_MESSAGES").glob("*.po"):
        for entry in polib.pofile(str(po)):
            if entry.msgstr and not entry.fuzzy and not WEB_PLACEHOLDER.search(entry.msgid):
                found.setdefault(entry.msgid, entry.msgstr)
    return found


def fill(language: str, new: dict[str, str]) -> list[str]:
    path = I18N / f"hanout_desktop_{language}.ts"
    tree = ET.parse(path)  # noqa: S314  (our own catalogs, written by lupdate)
    messages = [
        (context.findtext("name"), message)
        for context in tree.getroot().iter("context")
        for message in context.iter("message")
    ]
    done = {
        m.findtext("source"): m.find("translation").text
        for _, m in messages
        if m.find("translation") is not None
        and m.find("translation").get("type") is None
        and m.get("numerus") != "yes"
    }
    web = web_catalog(language)
    missing = []
    for context, message in messages:
        translation = message.find("translation")
        if translation is None or translation.get("type") != "unfinished":
            continue
        source = message.findtext("source")
        text = new.get(source) or done.get(source) or web.get(source)
        if not text or message.get("numerus") == "yes":
            missing.append(f"{language} {context}: {source}")
            continue
        translation.text = text
        del translation.attrib["type"]
    # lupdate's own layout: keep the XML declaration and DOCTYPE it wrote.
    head = path.read_text(encoding="utf-8").split("<TS", 1)[0]
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text(head + body + "\n", encoding="utf-8")
    return missing


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new", action="append", default=[], metavar="LANG=FILE.json")
    args = parser.parse_args(argv)
    new: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    for item in args.new:
        language, _, file = item.partition("=")
        new[language].update(json.loads(Path(file).read_text(encoding="utf-8")))
    missing = [line for language in LANGUAGES for line in fill(language, new[language])]
    print("\n".join(missing) if missing else "Every string is translated.")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
