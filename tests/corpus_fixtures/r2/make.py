"""Writes the round-2 damaged fixtures and their gold texts from prose.txt (run once; committed).

Gold: the body's blocks in order, separated by blank lines, a heading written as `## text`.
"""

import textwrap
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


def cp1252_as_latin1(text: str) -> str:
    """Windows-1252 punctuation read as latin-1 (C1 control characters), saved as UTF-8."""
    return "".join(
        char.encode("cp1252").decode("latin-1") if char in "„…‘’“”–—" else char for char in text
    )


C1_BODY = [*BODY[:7], BODY[7].replace("on time”,", "on time…”,"), "Wait… and see, the mayor said…"]
write("c1_punctuation", [cp1252_as_latin1(p) for p in C1_BODY], "")
(HERE / "c1_punctuation.gold.txt").write_text(
    "\n\n".join(f"## {p}" if i == HEADING else p for i, p in enumerate(C1_BODY)) + "\n",
    encoding="utf-8",
)


def cesu8(text: str) -> bytes:
    halves = "".join(
        chr(unit)
        if unit < 0x10000
        else chr(0xD800 + ((unit - 0x10000) >> 10)) + chr(0xDC00 + ((unit - 0x10000) & 0x3FF))
        for unit in map(ord, text)
    )
    return halves.encode("utf-8", errors="surrogatepass")


EMOJI_BODY = [BODY[0] + " 🚢🌾", *BODY[1:3], BODY[HEADING], BODY[4] + " 👍🏽"]
(HERE / "cesu8_emoji.txt").write_bytes(b"\n".join(cesu8(p) for p in EMOJI_BODY))
(HERE / "cesu8_emoji.gold.txt").write_text(
    "\n\n".join(f"## {p}" if i == HEADING else p for i, p in enumerate(EMOJI_BODY)) + "\n",
    encoding="utf-8",
)


WRAP_BODY = [
    *BODY[:3],
    BODY[HEADING],
    BODY[4].replace(
        "a spokesperson said", "a Brussels-based spokesperson for the trade-policy directorate said"
    ),
    *BODY[5:],
]
for width in range(66, 80):  # the width near 72 at which a line breaks after a hyphen
    wrapped = [textwrap.fill(p, width, break_long_words=False) for p in WRAP_BODY]
    if any(line.endswith("-") for p in wrapped for line in p.splitlines()):
        break
write(
    "hard_wrapped",
    ["\n\n".join(wrapped)],
    "\n\n".join(f"## {p}" if i == HEADING else p for i, p in enumerate(WRAP_BODY)) + "\n",
)
ONE = " ".join(BODY[:3])
write("hard_wrapped_single", [textwrap.fill(ONE, 70)], ONE + "\n")


FURNITURE_PAGES = {
    "furniture_cookies_captions": [
        "We use cookies to improve your experience on our site and to show you relevant ads.",
        "Accept all",
        "Manage preferences",
        "Par Claire Dubois",
        P[0],
        "Cranes load grain at the port of Gdańsk on Tuesday. Photo: Jan Nowak/Reuters",
        *BODY[1:5],
        "Dockworkers in Gdańsk (Photo: Anna Lis)",
        *BODY[5:],
    ],
    "furniture_liveblog": [
        "LIVE",
        "Von Jonas Becker und Lena Vogel",
        "Key events",
        "Updated 5 mins ago",
        *BODY[:3],
        "12:45 GMT",
        BODY[HEADING],
        *BODY[4:6],
        "Pinned post",
        *BODY[6:],
    ],
}
for name, page in FURNITURE_PAGES.items():
    write(name, page)
DATELINED = [f"GDAŃSK, Poland (AP) — {P[0]}", *BODY[1:]]
write(
    "furniture_dateline",
    ["По Ивану Петрову", *DATELINED],  # a Russian byline, then the wire dateline
)


# UTF-8 read as Big5 by a scraper, saved as UTF-8 (prose_big5.txt: accents Big5 keeps as hanzi,
# punctuation it loses whole). "replace" leaves a U+FFFD per lost byte, so the punctuation is
# guessed back; "ignore" leaves nothing: its gold is the prose without what cannot come back.
BIG5_PROSE = (HERE / "prose_big5.txt").read_text(encoding="utf-8").splitlines()


def big5(text: str, errors: str = "replace") -> str:
    return text.encode("utf-8").decode("big5", errors=errors)


def survives_big5_ignore(text: str) -> str:
    return "".join(char for char in text if big5(char, "ignore"))


write("big5_replace", [big5(p) for p in BIG5_PROSE], "\n\n".join(BIG5_PROSE) + "\n")
write(
    "big5_ignore",
    [big5(p, "ignore") for p in BIG5_PROSE],
    "\n\n".join(survives_big5_ignore(p) for p in BIG5_PROSE) + "\n",
)
TRADITIONAL = (HERE / "prose_traditional.txt").read_text(encoding="utf-8").splitlines()
write("big5_traditional", TRADITIONAL, "\n\n".join(TRADITIONAL) + "\n")
BIG5_QUOTE = (
    "The minister described the new line as “一條互利共贏的通道” and said talks would go on."
)
write(
    "big5_beside_chinese",  # damaged English around a Traditional Chinese quote pasted in whole
    [
        big5(BIG5_PROSE[0]),
        big5("The minister described the new line as “")
        + "一條互利共贏的通道"
        + big5("” and said talks would go on."),
        *[big5(p) for p in BIG5_PROSE[1:]],
    ],
    "\n\n".join([BIG5_PROSE[0], BIG5_QUOTE, *BIG5_PROSE[1:]]) + "\n",
)
