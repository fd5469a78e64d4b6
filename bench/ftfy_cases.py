"""How many of ftfy's own test cases `marginalia clean` fixes as ftfy does.

    .venv/bin/python bench/ftfy_cases.py [--cases bench/ftfy_cases] [--verbose]

Each case (python-ftfy's tests/test-cases, Apache-2.0, copied in bench/ftfy_cases) is cleaned
as an article (`clean_bytes` on its UTF-8 bytes) and by `ftfy.fix_text`. Both are compared with
the case's expected text after undoing what the cleaner keeps by design (curly quotes and
full-width characters stay; runs of white space become one space). Prints: cases ftfy gets
right, of those how many the cleaner also gets right, and how many must-stay-unchanged
("negative") cases the cleaner changed. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import ftfy
from ftfy.fixes import fix_character_width, uncurl_quotes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.corpus import clean_bytes  # noqa: E402
from tui.errors import UserError  # noqa: E402


def comparable(text: str) -> str:
    return " ".join(uncurl_quotes(fix_character_width(text)).split())


def cleaned(text: str) -> str:
    try:
        return clean_bytes(text.encode("utf-8", errors="surrogatepass"), "case").text
    except UserError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=ROOT / "bench" / "ftfy_cases")
    parser.add_argument("--verbose", action="store_true", help="print every case we miss")
    args = parser.parse_args()
    ftfy_right = both_right = negative = negative_changed = 0
    missed: list[tuple[str, str, str]] = []
    for path in sorted(args.cases.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            original, expected = case["original"], comparable(case["fixed"])
            ours = comparable(cleaned(original))
            if path.stem == "negative":
                negative += 1
                if ours != expected:  # the original, but for the fixes ftfy always makes
                    negative_changed += 1
                    missed.append((case["label"], original, ours))
                continue
            if comparable(ftfy.fix_text(original)) != expected:
                continue
            ftfy_right += 1
            if ours == expected:
                both_right += 1
            else:
                missed.append((case["label"], original, ours))
    print(f"cases ftfy fixes: {ftfy_right}; marginalia clean fixes the same: {both_right}")
    print(f"must-stay-unchanged cases: {negative}; changed by marginalia clean: {negative_changed}")
    if args.verbose:
        for label, original, ours in missed:
            print(f"- {label}\n    in:  {original!r}\n    out: {ours!r}")


if __name__ == "__main__":
    main()
