"""The place reference data behind `mentorctl.places`: GeoNames cities, countries, regions,
metro areas and curated aliases, loaded once from `data/` and indexed by normalized name."""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mentorctl.resolution import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACES_FILE = DATA_DIR / "places.tsv.gz"
METROS_FILE = DATA_DIR / "metros.yaml"
ALIASES_FILE = DATA_DIR / "place_aliases.yaml"

TOKEN_MAP = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


def norm(text: str) -> str:
    """fold() plus token normalization: 'St. Louis' -> 'saint louis', 'Ft Worth' -> 'fort worth'."""
    out: list[str] = []
    run = False  # is out[-1] a run of single letters ("u s a" -> "usa", "d c" -> "dc")?
    for t in fold(text).split():
        single = len(t) == 1 and t.isalpha()
        if single and run:
            out[-1] += t
            continue
        out.append(TOKEN_MAP.get(t, t))
        run = single
    return " ".join(out)


def slug(text: str) -> str:
    return fold(text).replace(" ", "-")


@dataclass
class PlaceData:
    gid: list[int] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    pop: list[int] = field(default_factory=list)
    countries: dict[str, str] = field(default_factory=dict)  # cc -> name
    regions: dict[tuple[str, str], str] = field(default_factory=dict)  # (cc, code) -> name
    names: dict[str, str] = field(default_factory=dict)  # norm name -> encoded rows, see cands()
    decoded: dict[str, list[tuple[int, bool]]] = field(default_factory=dict)

    def cands(self, key: str) -> list[tuple[int, bool]]:
        """[(row, matched by primary name)] for a normalized name; [] if unknown."""
        out = self.decoded.get(key)
        if out is None:
            raw = self.names.get(key, "")
            rows = map(int, raw.split(",")) if raw else ()
            out = [(r, True) if r >= 0 else (~r, False) for r in rows]
            self.decoded[key] = out
        return out
    quals: dict[str, set[tuple[str, str | None]]] = field(default_factory=dict)
    countries_by_name: dict[str, str] = field(default_factory=dict)  # norm name -> cc (no codes)
    regions_by_name: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # norm alias -> target text
    metros: dict[str, dict[str, Any]] = field(default_factory=dict)  # norm alias -> metro


@functools.cache
def place_data() -> PlaceData:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    d = PlaceData()
    names: dict[str, str] = {}
    with gzip.open(PLACES_FILE, "rt", encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    for line in lines:
        if not line:
            continue
        kind = line[0]
        if kind == "P":
            _, gid, name, cc, admin1, lat, lon, pop = line.split("\t")
            d.gid.append(int(gid))
            d.name.append(name)
            d.cc.append(cc)
            d.admin1.append(admin1)
            d.lat.append(float(lat))
            d.lon.append(float(lon))
            d.pop.append(int(pop))
        elif kind == "N":
            _, key, rows = line.split("\t")
            names[key] = rows
        elif kind == "C":
            _, cc, name, iso3 = line.split("\t")
            d.countries[cc] = name
        elif kind == "R":
            _, cc, code, name = line.split("\t")
            d.regions[(cc, code)] = name
    d.names = names

    quals: dict[str, set[tuple[str, str | None]]] = {}

    def add(key: str, value: tuple[str, str | None]) -> None:
        if key:
            quals.setdefault(key, set()).add(value)

    for cc, name in d.countries.items():
        key = norm(name)
        d.countries_by_name[key] = cc
        add(key, (cc, None))
        add(cc.lower(), (cc, None))
    region_by_name: dict[tuple[str, str], str] = {}
    for (cc, code), name in d.regions.items():
        key = norm(name)
        region_by_name[(cc, key)] = code
        d.regions_by_name.setdefault(key, []).append((cc, code))
        add(key, (cc, code))
        if cc in ("US", "CH", "GB") and code.isalpha():
            add(code.lower(), (cc, code))

    with open(ALIASES_FILE, encoding="utf-8") as fh:
        curated = yaml.load(fh, Loader=loader)
    for alias, cc in (curated.get("countries") or {}).items():
        key = norm(alias)
        d.countries_by_name[key] = cc
        add(key, (cc, None))
    for cc, mapping in (curated.get("regions") or {}).items():
        for alias, region_name in mapping.items():
            code = region_by_name.get((cc, norm(region_name)))
            if code is None:
                continue
            key = norm(alias)
            add(key, (cc, code))
            if len(key) > 3:
                d.regions_by_name.setdefault(key, []).append((cc, code))
    d.quals = quals
    d.aliases = {norm(k): v for k, v in (curated.get("cities") or {}).items()}

    with open(METROS_FILE, encoding="utf-8") as fh:
        metros = yaml.load(fh, Loader=loader)["metros"]
    for metro in metros:
        cc = metro["country"]
        region = metro.get("region")
        metro = dict(metro, region_code=region_by_name.get((cc, norm(region))) if region else None)
        for alias in [metro["name"], *metro.get("aliases", [])]:
            d.metros[norm(alias)] = metro
    return d
