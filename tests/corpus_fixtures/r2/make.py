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


def cp932(text: str) -> str:
    return text.encode("utf-8").decode("cp932", errors="replace")


def gbk(text: str) -> str:
    return text.encode("utf-8").decode("gbk", errors="ignore")


write("mojibake_cp932", [cp932(p) for p in BODY])
write("mojibake_macroman", [p.encode("utf-8").decode("mac-roman") for p in BODY])
QUOTE = (
    "In Beijing, a ministry spokesman called the route “一条互利共赢的通道” and said talks"
    " would go on."
)
write(
    "gbk_beside_chinese",  # damaged English around a Chinese quote pasted in undamaged
    [gbk(p) for p in BODY[:3]]
    + [
        BODY[HEADING],
        gbk("In Beijing, a ministry spokesman called the route “")
        + "一条互利共赢的通道"
        + gbk("” and said talks would go on."),
    ]
    + [gbk(p) for p in BODY[4:]],
    "\n\n".join(
        f"## {p}" if i == HEADING else p for i, p in enumerate([*BODY[:4], QUOTE, *BODY[4:]])
    )
    + "\n",
)
GENUINE = [
    "Президент заявил во вторник, что переговоры о зерновом коридоре продолжатся в Стамбуле.",
    "Η κυβέρνηση ανακοίνωσε ότι το λιμάνι του Πειραιά θα δεχθεί περισσότερα φορτία σιτηρών φέτος.",
    "政府は火曜日、穀物の輸出ルートについて関係国と協議を続けると発表した。",
    "北京时间周二，外交部发言人表示，中方愿与各方继续就粮食运输问题保持沟通。",
    "Le ministre a déclaré à Gdańsk que les négociations reprendraient «dès que possible».",
]
write("genuine_scripts", GENUINE, "\n\n".join(GENUINE) + "\n")
