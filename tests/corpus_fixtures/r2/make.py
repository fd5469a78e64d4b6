"""Writes the round-2 damaged fixtures and their gold texts from prose.txt (run once; committed).

Gold: the body's blocks in order, separated by blank lines, a heading written as `## text`.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
P = (HERE / "prose.txt").read_text(encoding="utf-8").splitlines()
HEADING = 3
BODY = P
GOLD = "\n\n".join(f"## {p}" if i == HEADING else p for i, p in enumerate(BODY)) + "\n"


def cut(paragraph: str, words: int = 14) -> str:
    return " ".join(paragraph.split()[:words]) + "…"


def write(name: str, lines: list[str], gold: str = GOLD, encoding: str = "utf-8") -> None:
    (HERE / f"{name}.txt").write_bytes("\n".join(lines).encode(encoding))
    (HERE / f"{name}.gold.txt").write_text(gold, encoding="utf-8")


write("teaser_2_3", [P[1], P[2], *BODY])
write("teaser_3_2", [P[2], P[1], *BODY])
write("teaser_heading", [P[1], P[HEADING], P[4], *BODY])
write("teaser_truncated", [cut(P[0]), P[1], *BODY])
write("truncated_copy_below", [*BODY, cut(P[5], 20)])


def html_residue(paragraph: str) -> str:
    """What a scraper copying text out of HTML leaves behind."""
    return (
        paragraph.replace("’", "&#8217;", 1)
        .replace("’", "&rsquo;")
        .replace("“", "&ldquo;", 1)
        .replace(" — ", "&nbsp;&mdash; ")
        .replace("–", "&ndash;")
        .replace("said", "<em>said</em>", 1)
        .replace(" on ", " on\u00a0", 1)
        .replace("authority", "autho\u00adrity", 1)
        .replace("Warsaw", '<a href="https://example.org/warsaw?a=1&amp;b=2">Warsaw</a>')
    )


RESIDUE_BODY = [p + " R&D at AT&T, where x < y." if i == 6 else p for i, p in enumerate(BODY)]
write(
    "html_residue",
    [
        "<p>" + html_residue(RESIDUE_BODY[0]) + "</p>",
        html_residue(RESIDUE_BODY[1]) + "<br>\u200b",
        html_residue(RESIDUE_BODY[2]),
        f"<h2>{BODY[HEADING]}</h2>",
        *[html_residue(p) for p in RESIDUE_BODY[4:]],
    ],
    "\n\n".join(f"## {p}" if i == HEADING else p for i, p in enumerate(RESIDUE_BODY)) + "\n",
)
