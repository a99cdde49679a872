"""Deadlines: dates and periods as written (with their preposition, as gold records them),
normalised to an ISO date or interval with their relation (by, before, from, during, on)."""

from __future__ import annotations

import calendar
import re
from typing import Any

from docmine.model import Deadline

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 14)}
_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_RELATION = (
    # the start of a year named as such ("before the start of the 2029/30 financial year"), not
    # of a period in it ("the start of the 2029/30 winter")
    r"(?:(?:by|before|from|until) the (?:start|beginning) of(?: the)?(?=\s*20\d\d(?:\s*(?:/|to|-|–)"
    r"\s*(?:20)?\d\d(?!\d)|(?![\d/–-]))(?:\s+(?:financial|calendar) year\b)?"
    r"(?!\s+(?!(?:until|to|and|or|at|in|for|when|where|if|as|by|on|with|so)\b)(?-i:[a-z])))|"
    r"(?:by|before) \d{1,2}(?:[:.]\d\d)?\s*(?:am|pm) on|by(?: the)?(?: end of)?|before|from|"
    r"up to(?: the end of)?|"
    r"during|throughout|until|no later than|not later than|on or before|between|in|on|ahead of|"
    r"as of|starting|"
    r"(?-i:For))"  # a fronted period of action ("For 2023/24, the MHIS requires ...")
)
_YEAR = r"20\d\d"
_PATTERN = re.compile(
    rf"\b(?:(?P<rel>{_RELATION})\s*(?:the\s+(?=\d))?)?(?P<when>"
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<month>{_MONTH})\s+(?P<year>{_YEAR})"
    # a date written in figures, day first as in the UK: "31/03/2025", "31.03.2025"
    rf"|(?P<nday>[0-3]?\d)(?P<sep>[/.])(?P<nmonth>[01]?\d)(?P=sep)(?P<nyear>{_YEAR})(?![\d/.]\d)"
    rf"|(?:(?:the )?end of )?Q(?P<q>[1-4])(?:\s+(?P<qyear>{_YEAR}(?:/\d\d)?))?"
    rf"|(?:(?:the )?end of )?H(?P<h>[12])(?!\w)(?:\s+(?P<hyear>{_YEAR}(?:/\d\d)?))?"
    rf"|(?P<fy1>{_YEAR})\s*(?:/|to|-|–)\s*(?P<fy2>(?:20)?\s?\d\d)(?!\d)(?:\s+financial year\b)?"
    rf"|(?P<part>early|mid|late)[- ](?:in )?(?P<pyear>{_YEAR})"
    # a season of a year or of a financial year ("before winter 2025/26": the winter that starts
    # in 2025)
    rf"|(?P<season>spring|summer|autumn|winter)(?: of)? (?P<syear>{_YEAR})"
    rf"(?:(?<=winter \d{{4}})\s*(?:/|-|–)\s*(?:20)?\d\d(?!\d))?"
    rf"|(?P<lone>{_YEAR})(?![/\d])"
    r")",
    re.IGNORECASE,
)
# A month with no year counts only after a relation word, capitalised ("by July", not "may"),
# with or without a day ("by 31 August"); after "by:" the date alone is the deadline, as a list
# of dates under one relation is written ("sign up by: 31 August - for wave 1").
_MONTH_ONLY = re.compile(
    rf"\b(?P<rel>by(?: the end of)?|before|from|until|during|in|ahead of)(?P<colon>:)?\s+"
    rf"(?P<date>(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<month>(?-i:{_MONTH})))\b(?!\s+\d)",
    re.IGNORECASE,
)
# a date without a year that comes round every year ("by 30 June each year", "annually"), or
# whose year the text sets elsewhere ("before 31 January in the relevant financial year"): no
# one ISO date, and the words that say so stay in the deadline as written
_EACH_YEAR = re.compile(
    r"\s*,?\s*(?:(?:of |in )?(?:each|every) (?:calendar |financial |contract |reporting )?year"
    r"|annually"
    r"|(?:of|in) (?:the |that |each )?(?:relevant|same|following|next|current|preceding|"
    r"previous) (?:calendar |financial )?year)\b",
    re.IGNORECASE,
)
# Periods of action with no date ("During the establishment phase"): kept, not normalised.
_NAMED_PERIOD = re.compile(
    r"\b(?P<rel>during|throughout|over|in)\s+(?P<when>the\s+(?:\w+[- ]){1,2}"
    r"(?:phase|period|stage|year|months|transition))\b",
    re.IGNORECASE,
)
_LEGISLATION_BEFORE = re.compile(r"\b(?:Act|Acts|Regulations|Order|Bill|Plan|Review)\s*$")
# A date that names a document rather than a time ("operational planning guidance 2024/25",
# "the 2023/24 Network DES", "the National framework ..., July 2022").
_DOCUMENT_NOUNS = (
    r"(?:guidance|frameworks?|plans?|strateg(?:y|ies)|contracts?|standards?|mandates?|reports?|DES)"
)
_DOCUMENT_BEFORE = re.compile(rf"\b{_DOCUMENT_NOUNS},?\s*$", re.IGNORECASE)
_DOCUMENT_AFTER = re.compile(rf"^(?:[A-Z][\w-]*\s+){{0,3}}{_DOCUMENT_NOUNS}\b")
# A year that modifies a noun after a determiner names a thing of that year, not a time to act
# by ("the 2025 survey", "their 2025/26 allocations"); a time noun after it keeps it a time
# ("by the 2029/30 year end", "the 2025/26 winter")
_MODIFIER_BEFORE = re.compile(
    # not after a word that makes it a time to act by ("by the 2025 deadline", "during the
    # 2025/26 funding period")
    r"(?<!\bby )(?<!\bbefore )(?<!\buntil )(?<!\bduring )(?<!\bwithin )(?<!\bfrom )"
    r"(?<!\bafter )(?<!\bover )(?<!\bthroughout )(?<!\bof )(?<!\bto )"
    r"\b(?:the|its|their|our|this|that|your)\s*$",
    re.IGNORECASE,
)
_MODIFIED = re.compile(
    r"^(?!(?:financial\s+|calendar\s+|fiscal\s+|funding\s+|planning\s+|reporting\s+)?"
    r"(?:year|winter|summer|spring|autumn|quarter|period|season|round|half|deadline|target|"
    r"date|cut-off|milestone)\b)(?-i:[a-z])",
    re.IGNORECASE,
)
# A date in the past is not a deadline ("since 2019-2020", "updated 2015").
_PAST = re.compile(
    r"\b(?:since|(?<!\bbe )(?:updated|published|revised|issued|dated|announced|laid)"
    r"(?: (?:in|on))?|in the previous)\s*$",
    re.IGNORECASE,
)
# A date a comparison is made against is a baseline, not a deadline ("compared to 2024/25",
# "more than in 2024/25"); "no later than" a date is a deadline.
_BASELINE = re.compile(
    r"\b(?:compared (?:to|with)|relative to|against|above|below|versus|vs\.?"
    r"|(?<!later )(?<!earlier )than(?: (?:in|at|during))?)"
    r"\s*(?:the\s+)?$",
    re.IGNORECASE,
)
_TIMETABLE_AFTER = re.compile(r"\s*(?:deadline|date|timetable|milestone|timescale)s?\b", re.I)
_LEGISLATION_AFTER = re.compile(r"^(?:Act|Acts|Regulations|Order|Bill)\b")  # "the 2006 Act"
# a year that ends a title the sentence then quotes as its subject ("Working Together to Safeguard
# Children 2023 requires ...", "The NHS Long Term Plan 2019 sets out ..."): the text's name
_TITLE_SAYS = re.compile(
    r"^(?:also\s+)?(?:requires?|sets? out|says|states?|makes? clear|introduced?|gives?|places?|"
    r"describes?|explains?|confirms?|provides?|defines?|recommends?)\b"
)
# Deadlines anchored in the text rather than the calendar ("within 28 days of the request",
# "before the end of each review period", "as soon as reasonably practicable", the statutory time
# limit): kept as written, not normalised. "As soon as possible" is urgency, not a date or period
# (ANNOTATION.md): no deadline.
_NUMBER = (
    r"(?:\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
    r"four|five|six|"
    r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
# days counted some other way than the calendar's ("10 working days", "5 Operational Days")
_DAY_KINDS = r"(?:(?:working|calendar|clear|business|operational) )*"
# where an anchor ends: at the next clause ("... of implementation and report back"), a
# condition, or the channel or rule the act follows ("... of their departure via the form")
_ANCHOR_END = (
    r"(?=\s+(?:and\s+(?=(?-i:[a-z]))|if\b|unless\b|via\b|in (?:line|accordance) with\b)"
    r"|\s*[,.;:()—]|\s*$)"
)
_RELATIVE = re.compile(
    rf"\b(?P<rel>within|no later than|not later than|no longer than|for up to)\s+"
    rf"(?:the next |a (?:designated )?)?{_NUMBER}(?:\s*[-–]\s*{_NUMBER})?[\s-]+"
    rf"{_DAY_KINDS}(?:days?|weeks?|months?|years?)(?:\s+reporting window)?"
    # what it runs from, up to the next clause ("... of implementation and report back ...")
    r"(?:\s+(?:of|after|from|beginning with|starting with|following|before)\s+[^,.;:()—]+?"
    rf"{_ANCHOR_END})?"
    # hours only from an event ("within 72 hours of becoming aware of it"): a bare "within two
    # hours" is a standard of service, not a deadline
    rf"|\b(?P<rel3>within|no later than|not later than)\s+{_NUMBER}\s+hours\s+"
    r"(?:of|after|from|following)\s+[^,.;:()—]+?"
    rf"{_ANCHOR_END}"
    r"|\b(?P<rel2>before|by|after|no later than|not later than|from)\s+the\s+"
    r"(?:start|end|beginning|first day|last day|close)\s+of\s+[\w'’-]+(?:\s+[\w'’-]+){0,5}?"
    r"(?=\s*[,.;:()—]|\s+(?:the|a|an|it|they|we|you|each|every|all)\b|\s*$"
    # an infinitive of purpose after a period noun ("after the end of the financial year to
    # declare ..."), not "to" in a range ("the end of 2024 to 2025")
    r"|(?:(?<=year)|(?<=quarter)|(?<=month)|(?<=period)|(?<=week)|(?<=phase))\s+to\s+[a-z])"
    # a notice period before an event ("at least 28 days before it starts"), not a length of
    # time before one ("lived here for at least 6 months before applying"), nor a date
    rf"|(?<!\bfor )\b(?P<rel4>(?:at least|no (?:less|fewer) than|not (?:less|fewer) than))\s+"
    rf"{_NUMBER}[\s-]+{_DAY_KINDS}(?:days?|weeks?|months?|hours?)\s+before\s+"
    rf"(?!\d|{_MONTH}\b)[^,.;:()—]+?"
    rf"{_ANCHOR_END}"
    # "as soon as reasonably practicable", and "as soon as practicable" from an event ("after
    # the patient's detention begins"): statutory time limits; the event is kept
    r"|\bas soon as (?:is )?(?:reasonably practicable|"
    r"practicable(?=\s+(?:after|following)\s+))(?:\s+(?:after|following)\s+"
    r"[^,.;:()—]+?(?=\s+(?:and\s+(?=(?-i:[a-z]))|if\b|unless\b)|\s*[,.;:()—]|\s*$))?",
    re.IGNORECASE,
)
_RELATION_NAMES = {
    "by": "by",
    "before": "before",
    "from": "from",
    "during": "during",
    "throughout": "during",
    "over": "during",
    "until": "by",
    "up to": "by",
    "no later than": "by",
    "in": "during",
    "on": "on",
    "ahead of": "before",
    "as of": "from",
    "starting": "from",
    "on or before": "by",
    "between": "during",
    "no longer than": "by",
    "for up to": "by",
    "within": "by",
    "after": "from",
    "not later than": "by",
    "for": "during",
}


def _month_interval(year: int, month: int, day: str | None) -> tuple[str, str]:
    if day:
        iso = f"{year:04d}-{month:02d}-{int(day):02d}"
        return iso, iso
    last = calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


def _months(year: int, first: int, last: int) -> tuple[str, str]:
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    return f"{year:04d}-{first:02d}-01", _month_interval(end_year, end_month, None)[1]


def _financial_year(first: int) -> tuple[str, str]:
    """UK financial years run 1 April to 31 March."""
    return f"{first:04d}-04-01", f"{first + 1:04d}-03-31"


def _quarter(q: int, year_text: str | None, default_year: int | None) -> tuple[str, str]:
    first = int(year_text[:4]) if year_text else default_year
    if not first:
        return "", ""
    start_month = 4 + 3 * (q - 1)  # financial-year quarters, as the NHS uses them
    year = first + (start_month - 1) // 12
    month = (start_month - 1) % 12 + 1
    return _months(year, month, month + 2)


def _half(half: int, year_text: str | None, default_year: int | None) -> tuple[str, str]:
    """H1 and H2: the halves of the financial year (April to September, October to March)."""
    first = int(year_text[:4]) if year_text else default_year
    if not first:
        return "", ""
    return _months(first, 4, 9) if half == 1 else _months(first, 10, 15)


def _interval(match: re.Match[str], default_year: int | None) -> tuple[str, str]:
    if match.group("nday"):
        day, month, year = (int(match.group(g)) for g in ("nday", "nmonth", "nyear"))
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            iso = f"{year:04d}-{month:02d}-{day:02d}"
            return iso, iso
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if match.group("month"):
        month = _MONTHS[match.group("month").lower()]
        return _month_interval(int(match.group("year")), month, match.group("day"))
    if match.group("q"):
        return _quarter(int(match.group("q")), match.group("qyear"), default_year)
    if match.group("h"):
        return _half(int(match.group("h")), match.group("hyear"), default_year)
    if match.group("fy1"):
        return _financial_year(int(match.group("fy1")))
    if match.group("part"):
        return _months(int(match.group("pyear")), *_PARTS[match.group("part").lower()])
    if match.group("season"):
        return _months(int(match.group("syear")), *_SEASONS[match.group("season").lower()])
    year = int(match.group("lone"))
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


# "by the end of 2027", "up to the end of March", "end of Q2": the period is named by its end
_END_OF = re.compile(r"^(?:(?:by|up to|before)\s+)?(?:the\s+)?end of\b", re.IGNORECASE)


def _at_end(written: str, start: str, end: str) -> str:
    """The start of a deadline's period: its last day when the text says the end of it ("by
    the end of 2027" is due on 2027-12-31, not at any time in 2027)."""
    return end if end and _END_OF.search(written) else start


def _point(written: str, start: str, end: str) -> tuple[str, str]:
    """A single date's (start, end): the last day of its period when the text says the end of
    it, the first day, alone, when it says the start ("before the start of 2029/30" is due
    before 2029-04-01, not at any time that year)."""
    start = _at_end(written, start, end)
    return (start, start) if _START_OF.search(written) else (start, end)


# "before the start of the 2029/30 financial year": the period is named by its first day
_START_OF = re.compile(r"^(?:by|before|from|until)\s+the\s+(?:start|beginning) of\b", re.IGNORECASE)


def _relation(word: str | None) -> str:
    key = re.sub(r"\s+\d.*$", "", (word or "").lower())  # "by 11:59pm on" -> "by"
    key = re.sub(r"\s+the\s+(?:start|beginning) of(?:\s+the)?$", "", key)
    key = re.sub(r"\s+(?:the\s+)?(?:end of)?$", "", key).strip()
    return _RELATION_NAMES.get(re.sub(r"\s+", " ", key), "")


def _is_date(text: str, match: re.Match[str]) -> bool:
    """Not a year in a law's or report's name ("NHS Act 2006") nor a date in brackets after a
    title ("The Design Framework (June 2021)")."""
    start = match.start("when")
    near = text[max(0, start - 80) : start]  # what precedes the date, not the whole clause
    if _LEGISLATION_BEFORE.search(near) or _PAST.search(near):
        return False
    if _BASELINE.search(near) and not _TIMETABLE_AFTER.match(text[match.end() :]):
        return False  # "against 2024/25 levels", not "against the March 2026 deadline"
    if match.group("lone") and re.search(r"\b[A-Z]{3,}\s*$", near):
        return False  # "CTSA 2015": an Act by its acronym
    before, after = near.rstrip(), text[match.end() : match.end() + 80].lstrip()
    if match.group("lone") and (_LEGISLATION_AFTER.match(after) or _TITLE_SAYS.match(after)):
        return False
    named = _DOCUMENT_AFTER.match(after) and (not match.group("rel") or before.endswith("the"))
    if _DOCUMENT_BEFORE.search(before) or named:
        return False  # "planning guidance 2024/25", "the 2023/24 Network DES": a document's name
    if _MODIFIER_BEFORE.search(before) and _MODIFIED.match(after):
        return False  # "the 2025 survey", "the 2025/26 allocations": a thing of that year
    return not (before.endswith("(") and after.startswith(")"))


_RANGE_JOIN = re.compile(r"^\s*(?:to|and|-|–|until|and until)\s*$", re.IGNORECASE)
_UNTIL_NOTICE = re.compile(r"^\s+and until further notice\b", re.IGNORECASE)


def _ranges(text: str, dates: list[tuple[int, int, re.Match[str], str, str]]) -> list[Any]:
    """Dates joined into one period ("from 2 December 2020 to 31 March 2021", "between 21
    October 2021 and 31 March 2022", "by 14 January and 29 April 2022"); "and until further
    notice" stays with the date it follows."""
    out: list[Any] = []
    for begin, finish, match, start, end in dates:
        if out and _RANGE_JOIN.match(text[out[-1][1] : begin]):
            first = out[-1]
            out[-1] = (first[0], finish, first[2], first[3], end or first[4])
            continue
        notice = _UNTIL_NOTICE.match(text[finish:])
        out.append((begin, finish + (notice.end() if notice else 0), match, start, end))
    return out


def _candidates(text: str, default_year: int | None) -> list[tuple[int, bool, Deadline]]:
    found = []
    dates = []
    for match in _PATTERN.finditer(text):
        if _is_date(text, match):
            start, end = _interval(match, default_year)
            dates.append((match.start(), match.end(), match, start, end))
    ranges = _ranges(text, dates)
    joined: set[int] = set()  # dates a month without a year runs on to ("by 14 January and ...")
    for match in _MONTH_ONLY.finditer(text):
        if _PAST.search(text[max(0, match.start() - 80) : match.start()]):
            continue  # "the plan published in January": a past event's month
        each = _EACH_YEAR.match(text, match.end())
        written = match.group("date") if match.group("colon") else match.group(0).strip()
        month = _MONTHS[match.group("month").lower()]
        # "by 14 January and 29 April 2022": the dates share the year written after the last,
        # the year before when the period crosses New Year ("from November to March 2023");
        # a date with a relation word of its own ("by June and by 31 July 2023") is another
        later = next((r for r in ranges if _RANGE_JOIN.match(text[match.end() : r[0]])), None)
        if later is not None and not each and later[2].group("year") and not later[2].group("rel"):
            joined.add(later[0])
            year = int(later[2].group("year"))
            year -= month > _MONTHS[later[2].group("month").lower()]
            start = _month_interval(year, month, match.group("day"))[0]
            begin = match.start("date") if match.group("colon") else match.start()
            written, end = text[begin : later[1]].strip(), later[4]
        elif each:  # "by 30 June each year": no one date
            start = end = ""
            written = f"{written}{text[match.end() : each.end()]}"
        elif default_year:
            start, end = _month_interval(default_year, month, match.group("day"))
        else:
            continue
        start = _at_end(written, start, end)
        deadline = Deadline(written, _relation(match.group("rel")), start, end)
        found.append((match.start(), True, deadline))
    for begin, finish, match, start, end in ranges:
        if begin in joined:
            continue
        written = text[begin:finish].strip()
        if finish == match.end():  # one date, not a range ("by the end of 2027 and 2028")
            start, end = _point(written, start, end)
        deadline = Deadline(written, _relation(match.group("rel")), start, end)
        found.append((begin, bool(match.group("rel")), deadline))
    for match in _NAMED_PERIOD.finditer(text):
        found.append((match.start(), True, Deadline(match.group(0), _relation(match.group(1)))))
    found.extend(_relative(text))
    return sorted(found, key=lambda c: c[0])


def _relative(text: str) -> list[tuple[int, bool, Deadline]]:
    """The deadlines the text anchors ("within 28 days of the request")."""
    found = []
    for match in _RELATIVE.finditer(text):
        if match.group("rel4"):  # "at least 28 days before it starts": due before the event
            relation = "before"
        else:
            relation = _relation(match.group("rel") or match.group("rel2") or match.group("rel3"))
        written = match.group(0).strip()
        period, anchor = relative_parts(written)
        deadline = Deadline(written, relation or "by", period=period, anchor=anchor)
        found.append((match.start(), True, deadline))
    return found


# the parts of a deadline the text anchors: its period ("28 days", "six weeks") and what it runs
# from ("of the date of death", "after receiving the request"), or the point of a period it is
# set against ("before the start of each financial year")
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_WORD_NUMBERS.update(
    {
        tens: 10 * n
        for n, tens in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
    }
)
# the period right after "within", "no later than" ...: a range's upper bound ("28-30 days")
_PERIOD = re.compile(
    rf"\s+(?:the next |a (?:designated )?)?(?:\d+\s*[-–]\s*)?(?P<n>{_NUMBER})[\s-]+"
    rf"(?P<kind>{_DAY_KINDS})(?P<unit>hour|day|week|month|year)s?\b",
    re.IGNORECASE,
)
_FROM = re.compile(
    r"\b(?:of|after|from|beginning with|starting with|following|before)\s+(?P<anchor>\S.*)$",
    re.IGNORECASE,
)
_POINT = re.compile(r"\s+(?P<point>the\s+\S.*)$", re.IGNORECASE)


def _count(word: str) -> int | None:
    """ "28" -> 28, "six" -> 6, "twenty-eight" -> 28."""
    word = word.lower().replace(" ", "-")
    if word.isdigit():
        return int(word)
    tens, _, unit = word.partition("-")
    if tens in _WORD_NUMBERS and (not unit or unit in _WORD_NUMBERS):
        return _WORD_NUMBERS[tens] + (_WORD_NUMBERS[unit] if unit else 0)
    return None


def relative_parts(written: str) -> tuple[str, str]:
    """(period as an ISO 8601 duration, anchor as written) of a deadline the text anchors:
    "within 28 days of the date of death" -> ("P28D", "the date of death"); "before the start of
    each financial year" -> ("", "the start of each financial year"). Working or clear days are
    no calendar duration: their period stays empty (the text keeps them); a range gives its
    upper bound ("within 28-30 days" -> "P30D"). Anything else (a date, "every 3 years") has
    no parts."""
    deadline = _RELATIVE.fullmatch(written.strip())
    if deadline is None:
        return "", ""
    if deadline.group("rel2"):  # "before the end of the 12 month period": a point, no period
        point = _POINT.match(deadline.group(0), deadline.end("rel2"))
        return "", point.group("point").strip() if point else ""
    relation = next((r for r in ("rel", "rel3", "rel4") if deadline.group(r)), "")
    if not relation:  # "as soon as reasonably practicable [after the event]"
        event = _FROM.search(deadline.group(0), len("as soon as"))
        return "", event.group("anchor").strip() if event else ""
    period = ""
    match = _PERIOD.match(deadline.group(0), deadline.end(relation))
    if match and not re.search(
        r"working|clear|business|operational", match.group("kind") or "", re.IGNORECASE
    ):
        count = _count(match.group("n"))
        unit = match.group("unit").lower()
        if count is not None:
            period = f"PT{count}H" if unit == "hour" else f"P{count}{_UNITS[unit]}"
    anchored = _FROM.search(deadline.group(0), match.end() if match else deadline.end(relation))
    return period, anchored.group("anchor").strip() if anchored else ""


# When, without a date: a temporal preposition with a season, a point of the year or an event
# ("ahead of winter", "by the year-end", "before publishing a strategy, ..."), and adverbs of time
# and frequency. Kept as written, with no ISO form.
_TIME_NOUNS = (
    r"(?:spring|summer|autumn|winter|year[- ]end|year ahead|financial year|coming year|"
    r"next (?:morning|day|week|month|year)|period)"
)
_TEMPORAL = re.compile(
    r"\b(?:(?:before|prior to|ahead of|no later than|by|until|up to|throughout|over|during|"
    rf"from|within|in)\s+(?:the\s+|this\s+|each\s+|every\s+)?(?:(?:end|start|beginning)\s+of\s+"
    rf"(?:the\s+|each\s+)?)?{_TIME_NOUNS}\b"
    r"|for the coming (?:spring|summer|autumn|winter|year|months)\b"
    # an event the action must precede: "prior to the arrival of guests", "in advance of move-on"
    r"|\b(?:prior to|in advance of|no later than|not later than)\s+(?:the\s+)?[\w'’-]+"
    r"(?:\s+(?:of\s+)?[\w'’-]+){0,9}?"
    r"(?=\s*[,.;:()—]|\s+(?:unless|if|where|wherever|when|and|or|so|to|as|in|by)\b|\s*$)"
    # an event with a date of its own ("before the proposed discharge date", "at least 5 working
    # days before each meeting"), as the gold keeps "prior to admission"
    rf"|\b(?:(?:at least|no less than|not less than)\s+{_NUMBER}\s+{_DAY_KINDS}"
    r"(?:days?|weeks?|months?|hours?)\s+)?before (?:the|a|an|each|any|every) (?:[\w'’-]+ ){0,3}"
    r"(?:date|day|meeting|deadline|move|discharge|admission|arrival|publication|decision|visit|"
    r"appointment|assessment|transfer|hearing|election)s?\b"
    r"|immediately|in-year|annually|every (?:\d+|two|three|four|five|ten) (?:years|months|weeks))",
    re.IGNORECASE,
)
_FRONTED_EVENT = re.compile(
    r"^(?:Before|Prior to|Ahead of|From the outset of|No later than)\s+[^,;:—]{3,120}?(?=,)"
)


def temporal_phrase(text: str) -> Deadline | None:
    """A deadline with no date: a fronted "Before ..." phrase, else the first temporal phrase."""
    match = _FRONTED_EVENT.match(text) or _TEMPORAL.search(text)
    if match is None:
        return None
    return Deadline(match.group(0))


def document_year(published: str, text: str) -> int | None:
    """The year a date without one falls in: the publication's, else the first the opening of
    the document names."""
    year = re.search(r"\b(20\d\d)\b", published or text[:3000])
    return int(year.group(1)) if year else None


# a verb that modifies a noun or a subordinate clause: the time it states is the time of that
# event, not of the instruction ("Systems that met their 2026/27 targets may ...")
_EVENT_DEPS = frozenset({"relcl", "acl", "advcl"})


def _past_event(parse: Any, offset: int) -> bool:
    """Whether the word at `offset` belongs to a relative or subordinate clause in the past or
    the perfect ("that met their targets", "who did not submit plans by ...", "where a system
    has not met the standard in 2026/27"): a past event, not a deadline."""
    token = next((t for t in parse if t.idx <= offset < t.idx + len(t.text)), None)
    while token is not None and token.pos_ not in ("VERB", "AUX"):
        token = token.head if token.head.i != token.i else None
    if token is None or token.dep_ not in _EVENT_DEPS:
        return False
    auxiliaries = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    perfect = token.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxiliaries)
    return perfect or "VBD" in [token.tag_] + [a.tag_ for a in auxiliaries]


_BY = frozenset({"by", "before"})
# a condition put before the instruction: a time in it is the condition's ("Where a council cannot
# arrange a package within seven days, it should tell the patient"; "Subject to confirmation of
# the 2025/26 allocations, ..."), not a time to act by (the gold's 2 such clauses have none)
_FRONTED_CONDITION = re.compile(
    r"^\s*(?:if|where|wherever|unless|subject to|provided(?: that)?|in the event (?:that|of))\b"
    # up to its comma, before the instruction's own modal ("Where a trust is in segment 4 it
    # must submit a plan by 31 March, ...": no comma closes the condition, so none is read)
    r"(?:(?!\b(?:must|should|shall|will|may|need to|needs to|is required|are required)\b)"
    r"[^,;:]){3,200}?,",
    re.IGNORECASE,
)


def find_deadline(text: str, default_year: int | None = None, parse: Any = None) -> Deadline | None:
    """The clause's date or period: a date opening the clause (a timeline row), else the first
    one to act by ("by", "before"), else the first with a relation word, else the first; in a
    lead-in + item clause the item's own deadline wins over the lead-in's. With the clause's
    `parse`, a time in a past-tense relative or subordinate clause is an event's, not a
    deadline."""
    candidates = _candidates(text, default_year)
    if parse is not None:
        candidates = [c for c in candidates if not _past_event(parse, c[0])]
    fronted = _FRONTED_CONDITION.match(text)
    if fronted is not None:
        candidates = [c for c in candidates if c[0] >= fronted.end()]
    if not candidates:
        return temporal_phrase(text[fronted.end() :] if fronted else text)
    # a point to act by wins over a period the clause is set in ("For 2026/27, systems are asked
    # to publish their plan by 30 June 2026")
    by = next((c[2] for c in candidates if c[1] and c[2].relation in _BY), None)
    if candidates[0][0] == 0 and (by is None or candidates[0][2].relation in _BY | {""}):
        return candidates[0][2]
    colon = text.find(": ")
    in_item = [c for c in candidates if colon >= 0 and c[0] > colon]
    pool = in_item or candidates
    return next(
        (c[2] for c in pool if c[1] and c[2].relation in _BY),
        next((c[2] for c in pool if c[1]), pool[0][2]),
    )
