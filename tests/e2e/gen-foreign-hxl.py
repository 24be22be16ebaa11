#!/usr/bin/env python3
"""gen-foreign-hxl.py - an incident list as another organisation's tracker exports it.

    gen-foreign-hxl.py ROWS OUT [--repeat-every K]

HXL over CSV: an English header row, then the hashtag row (some tags with
attributes in another order, odd case and blanks), then ROWS data rows with
the tracker's own ids (EVT-000001...), English descriptions, event types and
statuses in the tracker's words, P-codes, a contact person, and two columns
cimic has no field for (#x_perpetrator, #x_confidence).  Every K-th row
(default 25) repeats the id of the row 20 earlier: the same event reported
again with a corrected death toll.  Deterministic: the same arguments give
the same bytes.
"""
import csv
import random
import sys

HEADER = ["Event ID", "Date", "Reported", "Event type", "Description", "Location", "Oblast",
          "Oblast P-code", "Raion", "Raion P-code", "Latitude", "Longitude", "Fatalities",
          "Injured", "Displaced", "Organisation", "Sector", "Status", "Source link",
          "Contact", "Phone", "Email", "Perpetrator", "Confidence"]
TAGS = ["#meta+id", "#date+occurred", "#date +Reported", "#event+type", "#description",
        "#loc+name", "#adm1+name", "#adm1+code", "#ADM2+name", "#adm2+code", "#geo+lat",
        "#geo +lon", "#affected+killed", "#affected+injured", "#affected+displaced", "#org",
        "#sector", "#status", "#meta+url", "#contact+name", "#contact+phone", "#contact+email",
        "#x_perpetrator", "#x_confidence"]
PLACES = [("Kharkiv", "Kharkivska", "UA63", "Kharkivskyi", "UA6312", 49.99, 36.23),
          ("Izium", "Kharkivska", "UA63", "Iziumskyi", "UA6306", 49.21, 37.26),
          ("Kupiansk", "Kharkivska", "UA63", "Kupianskyi", "UA6308", 49.71, 37.61),
          ("Kramatorsk", "Donetska", "UA14", "Kramatorskyi", "UA1412", 48.72, 37.56),
          ("Sloviansk", "Donetska", "UA14", "Kramatorskyi", "UA1412", 48.85, 37.60),
          ("Kherson", "Khersonska", "UA65", "Khersonskyi", "UA6508", 46.64, 32.62),
          ("Mykolaiv", "Mykolaivska", "UA48", "Mykolaivskyi", "UA4806", 46.97, 32.00),
          ("Zaporizhzhia", "Zaporizka", "UA23", "Zaporizkyi", "UA2306", 47.84, 35.14),
          ("Sumy", "Sumska", "UA59", "Sumskyi", "UA5908", 50.91, 34.80),
          ("Chernihiv", "Chernihivska", "UA74", "Chernihivskyi", "UA7410", 51.50, 31.29)]
TYPES = ["Shelling", "Airstrike", "Power outage", "Water outage", "UXO", "Evacuation",
         "Displacement", "Damage to infrastructure", "Humanitarian access"]
STATUSES = ["Open", "Verified", "Ongoing", "Closed", "resolved"]
ORGS = ["Right to Protection", "Proliska", "Vostok SOS", "UNHCR", "OCHA"]
SECTORS = ["Protection", "Shelter", "WASH", "Health", "CCCM"]
WHAT = ["a residential building", "the water pumping station", "a school", "the power substation",
        "a hospital annex", "the bridge on the main road", "a humanitarian warehouse",
        "the district heating plant", "a shelter for displaced families", "farmland"]
EFFECT = ["was damaged", "was hit overnight", "lost power", "was cut off", "was evacuated",
          "is without water", "was contaminated with unexploded ordnance", "burned down"]
PEOPLE = [("Olena Koval", "+380 67 111 2201", "olena.koval@example.org"),
          ("Taras Melnyk", "+380 50 222 3302", "t.melnyk@example.org"),
          ("Iryna Bondar", "+380 93 333 4403", ""),
          ("Andrii Shevchenko", "", "andrii@example.org"),
          ("Maria Lysenko", "+380 66 555 6605", "maria.l@example.org")]


def date_text(rnd, day, hour, minute):
    form = rnd.randrange(10)
    if form < 7:
        return f"2026-{day[0]:02d}-{day[1]:02d} {hour:02d}:{minute:02d}"
    if form < 9:
        return f"{day[1]:02d}.{day[0]:02d}.2026 {hour:02d}:{minute:02d}"
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November"]
    return f"{day[1]} {months[day[0] - 1]} 2026"


def event(rnd, i):
    place = rnd.choice(PLACES)
    day = (rnd.randint(1, 11), rnd.randint(1, 28))
    hour, minute = rnd.randint(0, 23), rnd.randrange(0, 60, 5)
    person = rnd.choice(PEOPLE)
    desc = (f"{rnd.choice(WHAT).capitalize()} in {place[0]} {rnd.choice(EFFECT)}. "
            f"Local authorities report {rnd.choice(['no', 'several', 'many'])} families affected; "
            f"follow-up visit {rnd.choice(['planned', 'done', 'requested'])}.")
    return [f"EVT-{i:06d}", date_text(rnd, day, hour, minute),
            f"2026-{day[0]:02d}-{min(day[1] + 1, 28):02d}", rnd.choice(TYPES), desc, place[0],
            place[1], place[2], place[3], place[4],
            f"{place[5] + rnd.uniform(-0.05, 0.05):.5f}", f"{place[6] + rnd.uniform(-0.05, 0.05):.5f}",
            str(rnd.choice([0, 0, 0, 1, 2])), str(rnd.randint(0, 6)), str(rnd.choice([0, 0, 12, 40])),
            rnd.choice(ORGS), rnd.choice(SECTORS), rnd.choice(STATUSES),
            f"https://tracker.example.org/events/{i}", person[0], person[1], person[2],
            rnd.choice(["unknown", "armed forces", "not attributed"]),
            rnd.choice(["high", "medium", "low"])]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows, out = int(sys.argv[1]), sys.argv[2]
    every = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--repeat-every" else 25
    rnd = random.Random(16)
    last = []                                           # the last 20 rows written
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        w.writerow(TAGS)
        for n in range(rows):
            if every and n >= 20 and n % every == 0:
                row = list(last[0])
                row[12] = str(int(row[12]) + 1)         # the death toll, corrected
            else:
                row = event(rnd, n + 1)
            w.writerow(row)
            last = (last + [row])[-20:]


if __name__ == "__main__":
    main()
