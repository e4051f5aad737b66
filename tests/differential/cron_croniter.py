#!/usr/bin/python3
"""Differential test: `sws cron next` against croniter (python3-croniter).

Generates several hundred cron expressions (ranges, steps, lists, month and
weekday names, @-shortcuts, the 31st, 29 February, Sunday as 7, the Vixie
day-of-month OR day-of-week rule) and start times, and compares the next
times sws prints with croniter's.

Where croniter departs from Vixie cron the case is excluded on purpose:
  - Vixie decides "restricted" by the field's first character: a field that
    starts with '*' ('*', '*/2') is unrestricted, so "0 0 */2 * 1" means odd
    days that are Mondays (AND). croniter calls a field unrestricted only when
    its values cover the whole range, so it ORs '*/2' with the weekday, and
    ANDs a written-out full range ('1-31', '0-6', 'sun-sat') that Vixie ORs.
    Expressions with both day fields restricted therefore never use a '*/n'
    step or a full written range in either day field.
  - With both day fields restricted croniter searches each alone and raises
    "failed to find next date" when one of them never matches ("0 0 30 2 mon"),
    where Vixie runs on the days of the other; such cases are counted and
    left out.
  - croniter accepts fields Vixie refuses ("5/15" without a range is read by
    both as 5-max/15, so it is kept; '?', 'L', '#' and 6-field forms are
    croniter extensions and are not generated).
Usage: cron_croniter.py SWS [COUNT]
"""
import random
import subprocess
import sys
from datetime import datetime, timedelta

from croniter import croniter

SWS = sys.argv[1]
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 400
rng = random.Random(20261130)

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
BOUNDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def atom(i, allow_star_step=True):
    lo, hi = BOUNDS[i]
    if i == 4:
        hi = 7
    kind = rng.choice(["num", "range", "step", "rangestep", "name", "star_step"])
    if kind == "star_step" and allow_star_step:
        return "*/%d" % rng.randint(2, max(2, (hi - lo) // 2))
    if kind == "name" and i in (3, 4):
        names = MONTHS if i == 3 else DAYS
        a = rng.randrange(len(names))
        if rng.random() < 0.5:
            b = rng.randrange(a, len(names))
            return "%s-%s" % (names[a], names[b])
        return names[a]
    a = rng.randint(lo, hi)
    if kind in ("range", "rangestep"):
        b = rng.randint(a, hi)
        s = "%d-%d" % (a, b)
        if kind == "rangestep":
            s += "/%d" % rng.randint(1, max(1, (b - a) or 1))
        return s
    if kind == "step":
        return "%d/%d" % (a, rng.randint(1, 10))
    return str(a)


def expand(i, field):
    """The values a field stands for (to spot a written-out full range)."""
    lo, hi = BOUNDS[i]
    vals = set()
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, s = part.split("/")
            step = int(s)
        if part == "*":
            a, b = lo, hi
        else:
            def num(x):
                if x.isdigit():
                    return int(x)
                return (MONTHS.index(x) + 1) if i == 3 else DAYS.index(x)
            if "-" in part:
                a, b = map(num, part.split("-"))
            else:
                a = num(part)
                b = hi if step > 1 or "/" in field and part != "*" else a
        vals.update(range(a, b + 1, step))
    if i == 4 and 7 in vals:
        vals.discard(7)
        vals.add(0)
    return vals


def field(i, restricted_pair=False):
    if rng.random() < 0.3 and not restricted_pair:
        return "*"
    for _ in range(50):
        n = 1 if rng.random() < 0.6 else rng.randint(2, 3)
        f = ",".join(atom(i, not restricted_pair) for _ in range(n))
        if not restricted_pair:
            return f
        full = len(expand(i, f)) == (7 if i == 4 else BOUNDS[i][1] - BOUNDS[i][0] + 1)
        if not full:
            return f
    return "1" if i != 4 else "1"


def expression():
    r = rng.random()
    if r < 0.05:
        return rng.choice(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight",
                           "@hourly"])
    if r < 0.15:  # the 31st, 29 February, 30 February's neighbours
        return rng.choice(["0 0 31 * *", "30 23 31 */1 *", "0 12 29 2 *", "0 0 29 feb *",
                           "15 6 28-29 2 *", "0 0 31 1,3,5,7,8,10,12 *", "0 9 30 11 *",
                           "0 0 29,30,31 * *", "59 23 31 12 *", "0 0 1 3 *"])
    if r < 0.30:  # both day fields restricted: Vixie's OR
        return "%s %s %s %s %s" % (field(0), field(1), field(2, True), field(3), field(4, True))
    m, h, dom, mon, dow = field(0), field(1), field(2), field(3), field(4)
    if dom != "*" and dow != "*" and (dom.startswith("*") or dow.startswith("*") or
                                      len(expand(2, dom)) == 31 or len(expand(4, dow)) == 7):
        dow = "*"  # the excluded combinations (see above)
    return "%s %s %s %s %s" % (m, h, dom, mon, dow)


def start_time():
    base = datetime(2020, 1, 1) + timedelta(minutes=rng.randrange(11 * 365 * 24 * 60))
    if rng.random() < 0.3:  # near a month's or a leap year's end
        y = rng.choice([2023, 2024, 2027, 2028, 2100])
        base = datetime(y, rng.choice([1, 2, 4, 12]), 28, 23, rng.randrange(60))
    return base


fixed = ["0 0 13 * 5", "0 0 13 * fri", "0 9 1,15 * mon", "*/15 9-17 * * mon-fri",
         "0 0 * * 7", "0 0 * * 5-7", "0 0 31 * *", "0 0 29 2 *", "0 12 29 2 1",
         "0 0 30 2 *  ", "5 4 * * sun", "0 22 * * 1-5", "23 0-20/2 * * *", "0 0,12 1 */2 *",
         "0 4 8-14 * *", "0 0 1,15 * 3", "0 9 15 11 *", "@yearly", "@weekly"]
cases = [(e, datetime(2026, 1, 1)) for e in fixed]
cases += [(expression(), start_time()) for _ in range(COUNT)]

failures = excluded = 0
for expr, start in cases:
    n = rng.randint(3, 12)
    it = croniter(expr, start)
    try:
        want = [it.get_next(datetime).strftime("%Y-%m-%d %H:%M") for _ in range(n)]
    except Exception:  # croniter's "failed to find next date" (see above)
        excluded += 1
        continue
    out = subprocess.run([SWS, "cron", "next", expr, "--from", start.strftime("%Y-%m-%d %H:%M"),
                          "--count", str(n)], capture_output=True, text=True)
    got = [line[:16] for line in out.stdout.splitlines()]
    if out.returncode != 0 or got != want:
        failures += 1
        if failures <= 20:
            print("MISMATCH %r from %s\n  sws:      %s %s\n  croniter: %s" %
                  (expr, start, got, out.stderr.strip(), want))
compared = len(cases) - excluded
print("%d expressions compared with croniter, %d mismatches (%d left out: croniter finds no "
      "date)" % (compared, failures, excluded))
if compared < 300:
    print("too few expressions compared")
    failures += 1
sys.exit(1 if failures else 0)
