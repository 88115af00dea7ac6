"""Build mentorctl/data/occupations.tsv.gz from the open data in ../shared/data (see its README).

    python tools/build_occupations.py [--data ../shared/data] [--out mentorctl/data/occupations.tsv.gz]

What goes in (one gzip TSV, rows typed by their first field):

- `S code level title`: the SOC 2018 hierarchy (level 0 major group, 1 minor group, 2 broad
  occupation, 3 detailed occupation), from the BLS OEWS structure table.
- `W word word ...` (one row): the words of the titles (any language, three titles or more),
  which a typo may never be corrected into another word from (the resolver's guard: "Processor"
  is not "Professor").
- `T code strong key key ...`: the ways in to a detailed occupation, one row per code and
  strength (keys sorted): each `key` is a title folded the way the resolver folds its input (any
  of the eight languages). Each claim on a key counts its evidence: an O*NET occupation title
  (10), a title workers reported (3), an O*NET alternate title (2 each time it is listed for the
  code), an ESCO label (1 per occupation that carries it). A key goes to a code only when that
  code has at least twice the evidence of any other and half of all of it; `strong` is 1 when
  that evidence is 3 or more.
- `A key code code ...`: a key that several codes claim with no clear winner ("engineer",
  "director"): ambiguous, so the resolver leaves it unresolved and can name the alternatives.
- `G key code code ...`: an ambiguous key of two words or more that at most three codes claim
  at all ("content manager": web designers, computer occupations all other), every claimant in
  order of evidence: the resolver takes the first as a best guess that says so.

A code's keys share one row so that the resolver loads the table with a split per row rather
than Python work per title.

ESCO carries no SOC codes. Its occupations are bridged one way: the English labels of an ESCO
occupation are resolved by mentorctl's own occupation resolver (no typo correction) on the
English table written in a first pass (O*NET titles, curated titles, rules, the vague list); when
they agree on a code (the preferred label's code when it is found as written and another label
agrees, or when no other code has more votes; else at least two labels outvoting the rest two to
one), every label of that occupation in all eight languages becomes a way in to that code, except
an English label the English resolver reads as another occupation. A code that no label or only
one label names as written (the resolver got there by a rule, "property developer" ->
"developer") must also be one that other
ESCO occupations of the same ISCO-08 group reach as written (the same SOC major group, at least
twice): ESCO's ISCO groups check the resolver's guesses.
Gendered forms ("enfermero/enfermera") are split into both. ESCO occupations that do not bridge
are left out: their labels would otherwise name an occupation with no SOC code.

O*NET-SOC codes carry a suffix (15-1252.00); the detailed SOC code is the part before the dot. A
few O*NET detailed codes are not in the OEWS table: those OEWS publishes as an aggregate map to the
aggregate (or the "All Other" code of the same broad group); those it leaves out entirely
(fishers and hunters, say) join the table under their O*NET title.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentorctl.occupation_data import expand  # noqa: E402
from mentorctl.resolution import fold  # noqa: E402

LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl", "pl")
WEIGHT = {"title": 10, "reported": 3, "alternate": 2, "esco": 1}
MAX_GUESS_CODES = 3  # more claimants than this and a title names no one occupation
_ASIDE = re.compile(r"\(([^)]*)\)")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


def read_csv(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def soc_code(raw: str) -> str:
    """'151252' or '15-1252.00' -> '15-1252'."""
    digits = raw.replace("-", "").split(".")[0]
    return f"{digits[:2]}-{digits[2:6]}"


def keys_of(title: str) -> list[str]:
    """The folded forms a title is found under: as written, without its parenthesized aside,
    and the aside itself when it is an abbreviation ("Chief Executive Officer (CEO)")."""
    out = []
    plain = fold(_ASIDE.sub(" ", title))
    if plain:
        out.append(plain)
    for aside in _ASIDE.findall(title):
        folded = fold(aside)
        if folded and len(folded.split()) == 1 and aside.strip().isupper():
            out.append(folded)
    whole = fold(title)
    if whole and whole not in out:
        out.append(whole)
    # The forms the resolver looks up: abbreviations expanded, British spellings American.
    return list(dict.fromkeys([*out, *(expand(k) for k in out)]))


_IRREGULAR = {"women": "woman", "men": "man", "people": "person", "staff": "staff",
              "children": "child", "series": "series", "species": "species"}


def singular(word: str) -> str:
    """'nurses' -> 'nurse', 'secretaries' -> 'secretary', 'waitresses' -> 'waitress'."""
    if word in _IRREGULAR or word.endswith("men"):
        return _IRREGULAR.get(word, word[:-3] + "man")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def occupation_title_forms(title: str) -> list[tuple[str, int]]:
    """The singular forms an O*NET or SOC occupation title (always plural) is written in:
    'Registered Nurses' -> 'registered nurse'; 'Teachers, Postsecondary' -> 'postsecondary
    teacher'; 'Waiters and Waitresses' -> 'waiter', 'waitress' (a part gets less weight)."""
    base = _ASIDE.sub(" ", title).split(", Except")[0].split(", All Other")[0]
    out: list[tuple[str, int]] = []
    parts = [p.strip() for p in base.split(",") if p.strip()]
    head = parts[0] if parts else base
    if len(parts) >= 3:  # "Meeting, Convention, and Event Planners": a list, not "meeting"
        head = base
    phrases = [head]
    if len(parts) == 2:
        phrases.append(f"{parts[1]} {parts[0]}")
    for phrase in phrases:
        words = fold(phrase).split()
        if not words:
            continue
        whole = " ".join([*words[:-1], singular(words[-1])])
        out.append((whole, WEIGHT["title"]))
        if " and " in f" {' '.join(words)} " and len(parts) < 3:  # not inside a list title
            pieces = [piece.split() for piece in " ".join(words).split(" and ")]
            noun = singular(pieces[-1][-1]) if pieces[-1] else ""
            for piece_words in pieces:
                if not piece_words:
                    continue
                form = [singular(w) for w in piece_words]
                if len(form) == 1 and len(pieces[-1]) > 1 and piece_words is not pieces[-1]:
                    # "Information and Record Clerks": the first piece shares the noun
                    # ("information clerk"); alone, "information" names no occupation.
                    form.append(noun)
                out.append((" ".join(form), WEIGHT["title"] // 2))
    return out


def gendered(label: str) -> list[str]:
    """ESCO writes both forms in one label: 'director técnico/directora técnica'."""
    parts = [p.strip() for p in label.split("/") if p.strip()]
    return parts if len(parts) > 1 and all(len(p) > 2 for p in parts) else [label]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "mentorctl" / "data" /
                        "occupations.tsv.gz")
    args = parser.parse_args()
    installed = ROOT / "mentorctl" / "data" / "occupations.tsv.gz"
    if args.out.resolve() != installed.resolve():
        # Pass 2 resolves ESCO's English labels with the package's own resolver, which reads
        # the installed table: a table written elsewhere would be bridged from the wrong one.
        parser.error(f"--out must be {installed} (the ESCO bridge reads the installed table); "
                     "copy the file elsewhere after building")

    structure = {soc_code(r["code"]): (int(r["display_level"]), r["title"])
                 for r in read_tsv(args.data / "soc-2018" / "structure.tsv.gz")
                 if r["code"] != "000000"}
    # O*NET occupations the OEWS table leaves out (it does not publish them: fishers, hunters,
    # some self-employed trades) join it as detailed occupations under their O*NET title.
    # Others the table publishes as an aggregate of its own (13-1020 "Buyers and Purchasing
    # Agents" for 13-1021..13-1023) map to that aggregate instead.
    aggregate = {c for c, (level, _) in structure.items() if level == 3 and c.endswith("0")}
    for row in read_tsv(args.data / "onet-27.0" / "occupation_data.txt.gz"):
        code = soc_code(row["O*NET-SOC Code"])
        if code not in structure and row["O*NET-SOC Code"].endswith(".00") and \
                code[:6] + "0" not in aggregate:
            structure[code] = (3, row["Title"])
    detailed = {c for c, (level, _) in structure.items() if level == 3}

    def in_table(code: str) -> str | None:
        if code in detailed:
            return code
        if code[:6] + "0" in aggregate:
            return code[:6] + "0"
        other = code[:-1] + "9"  # "X, All Other" of the same broad group
        return other if other in detailed else None

    claims: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (lang, key) -> code votes
    missing = Counter()
    onet = args.data / "onet-27.0"
    for name, field, kind in (("occupation_data", "Title", "title"),
                              ("sample_of_reported_titles", "Reported Job Title", "reported"),
                              ("alternate_titles", "Alternate Title", "alternate")):
        for row in read_tsv(onet / f"{name}.txt.gz"):
            code = in_table(soc_code(row["O*NET-SOC Code"]))
            if code is None:
                missing[row["O*NET-SOC Code"]] += 1
                continue
            titles = [row[field]]
            short = row.get("Short Title")
            if short and short != "n/a":
                titles.append(short)
            for title in titles:
                for key in keys_of(title):
                    claims[("en", key)][code] += WEIGHT[kind]
            if kind == "title":
                for key, weight in occupation_title_forms(row[field]):
                    claims[("en", key)][code] += weight
    for code in detailed:
        for key, weight in occupation_title_forms(structure[code][1]):
            claims[("en", key)][code] += weight

    # Pass 1: the English table alone, so the resolver itself (its rules, the curated titles,
    # the vague list) can read the ESCO occupations' English labels.
    write_table(args.out, structure, claims)
    bridged = bridge_esco(args.data / "esco-1.0.8", english_resolver())
    for labels, code in bridged:
        for lang, label in labels:
            for key in keys_of(label):
                claims[(lang, key)][code] += WEIGHT["esco"]
    rows, ambiguous = write_table(args.out, structure, claims)
    print(f"{args.out}: {len(structure)} SOC codes, {rows:,} keys, {ambiguous:,} ambiguous, "
          f"{len(bridged):,} of the ESCO occupations bridged; O*NET codes outside the table: "
          f"{len(missing)} ({sum(missing.values())} titles)", file=sys.stderr)


def write_table(path: Path, structure: dict, claims: dict) -> tuple[int, int]:
    out = io.StringIO()
    for code in sorted(structure):
        level, title = structure[code]
        out.write(f"S\t{code}\t{level}\t{title}\n")
    # A word of at least three titles: a typo that O*NET happens to carry once ("Manger") is not
    # a word of the vocabulary.
    counts = Counter(w for (_lang, key) in claims for w in set(key.split()) if w.isalpha())
    out.write("\t".join(["W", *sorted(w for w, n in counts.items() if n >= 3)]) + "\n")
    merged: dict[str, Counter] = defaultdict(Counter)
    for (_lang, key), votes in claims.items():
        merged[key].update(votes)
    held: dict[tuple[str, int], list[str]] = defaultdict(list)  # (code, strong) -> its keys
    ambiguous_rows, guess_rows = [], []
    for key, votes in sorted(merged.items()):
        (code, top), *rest = votes.most_common(2) + [(None, 0)]
        if top >= 2 * rest[0][1] and 2 * top >= sum(votes.values()):
            # Strong: more than one alternate listing says so (an official or reported title,
            # or several sources); only strong titles may stand as the tail of a longer text.
            held[(code, int(top >= 3))].append(key)
        else:
            codes = [c for c, w in votes.most_common(6) if 3 * w >= top]
            ambiguous_rows.append(f"A\t{key}\t{' '.join(codes)}\n")
            if len(votes) <= MAX_GUESS_CODES and " " in key:
                guess_rows.append(f"G\t{key}\t{' '.join(c for c, _ in votes.most_common())}\n")
    # The keys a code holds on one line: loading is then a split per line and a dict update per
    # code (~2,000 lines), not a Python step per key (114,000 lines took ~0.3 s).
    for (code, strong), keys in sorted(held.items()):
        out.write("\t".join(["T", code, str(strong), *keys]) + "\n")
    out.writelines(ambiguous_rows)
    out.writelines(guess_rows)
    path.write_bytes(gzip.compress(out.getvalue().encode("utf-8"), compresslevel=9, mtime=0))
    return sum(map(len, held.values())), len(ambiguous_rows)


def english_resolver():
    """SOC code of an English title by mentorctl's own resolver on the table just written (no
    typo correction: a label is taken as written)."""
    from mentorctl import occupation_data, occupation_fuzzy, occupations

    occupation_data.vocabulary.cache_clear()
    occupation_fuzzy._CHOICES.clear()

    def lookup(texts: list[str]) -> list[tuple[str | None, str]]:
        # Neither a typo correction nor a best guess among several codes bridges a label.
        return [(r.code if r.method != "fuzzy" and not r.attrs.get("ambiguous") else None,
                 r.method) for r in occupations.resolve_occupations(texts)]

    return lookup


def bridge_esco(folder: Path, lookup) -> list[tuple[list, str]]:
    """[(every (lang, label) of one ESCO occupation, its SOC code)] for those that bridge."""
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    english_labels: dict[str, list[str]] = defaultdict(list)
    preferred: dict[str, str] = {}
    isco: dict[str, str] = {}  # uri -> its ISCO-08 unit group ("2512")
    for lang in LANGUAGES:
        for row in read_csv(folder / f"occupations_{lang}.csv.gz"):
            uri = row["conceptUri"]
            isco.setdefault(uri, row["iscoGroup"])
            for cell in ("preferredLabel", "altLabels", "hiddenLabels"):
                for label in (row.get(cell) or "").splitlines():
                    for form in gendered(label.strip()):
                        if form:
                            labels[uri].append((lang, form))
                            if lang == "en" and cell != "hiddenLabels":
                                english_labels[uri].append(form)
                                if cell == "preferredLabel":
                                    preferred.setdefault(uri, form)
    every = sorted({form for forms in english_labels.values() for form in forms})
    found = dict(zip(every, lookup(every), strict=True))
    code_of = {form: code for form, (code, _method) in found.items()}
    chosen: dict[str, tuple[str, int]] = {}  # uri -> (code, labels naming it as written)
    for uri, forms in english_labels.items():
        votes: Counter = Counter(code_of[f] for f in forms if code_of[f])
        pref_code = code_of.get(preferred.get(uri, ""))
        if not votes:
            continue
        (code, top), *rest = votes.most_common(2) + [(None, 0)]
        # The preferred label settles it when no other code has more votes; without it, at
        # least two labels must agree and outvote the rest two to one. One stray label is not
        # enough.
        # ESCO names an occupation by its preferred label; the alternatives may be broader
        # ("postman/postwoman" also lists courier and bike messenger). A preferred label found as
        # written, with another label agreeing, names the code however the rest vote.
        if pref_code is not None and ((found.get(preferred[uri]) == (pref_code, "exact") and
                                       votes[pref_code] >= 2) or
                                      all(votes[pref_code] >= v for v in votes.values())):
            code = pref_code
        elif not (top >= 2 and top > 2 * rest[0][1]):
            continue
        named = sum(found[f] == (code, "exact") for f in forms)
        chosen[uri] = (code, named)
    # A code named as written by the preferred label or by two labels stands. One reached
    # through the resolver's rules (a known tail: "property developer" -> "developer") or by one
    # stray label ("government minister" also called "minister") must be one the occupation's
    # ISCO-08 group reaches that way elsewhere: at least two ESCO occupations of the same ISCO
    # minor group stand on a code of the same SOC major group. Otherwise "securities analyst"
    # (ISCO 2413) would follow "analyst" into information security, "secretary of state" (1111)
    # into secretaries, and a government minister into the clergy.
    named_pairs: Counter = Counter()
    named_groups: Counter = Counter()
    for uri, (code, named) in chosen.items():
        if named:
            for group in (isco[uri][:3], isco[uri][:2]):
                named_pairs[(group, code[:2])] += 1
                named_groups[group] += 1
    bridged = []
    for uri, (code, named) in chosen.items():
        if isco[uri].startswith("0") != code.startswith("55-"):
            # ISCO-08's armed forces occupations are SOC's military ones and no others: an army
            # sergeant or a petty officer ("sergeant", "feldwebel") is no police sergeant.
            continue
        # The ISCO minor group, or its sub-major group when the minor group names too few.
        group = isco[uri][:3] if named_groups[isco[uri][:3]] - bool(named) >= 2 else isco[uri][:2]
        others = named_pairs[(group, code[:2])] - bool(named)
        if named >= 2 or found.get(preferred.get(uri, "")) == (code, "exact") or others >= 2:
            # An English label the English resolver reads as another occupation keeps its own
            # reading: ESCO lumps "fundraiser" under fundraising manager, "credit risk manager"
            # under credit risk analyst. The other languages follow the occupation.
            bridged.append(([(lang, label) for lang, label in labels[uri]
                             if lang != "en" or code_of.get(label) in (None, code)], code))
    return bridged


if __name__ == "__main__":
    main()
