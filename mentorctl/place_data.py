"""The place reference data behind `mentorctl.places`: GeoNames cities, countries, regions,
metro areas and curated aliases, loaded once from `data/` and indexed by normalized name."""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mentorctl.geo import distance_km
from mentorctl.resolution import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACES_FILE = DATA_DIR / "places.tsv.gz"
METROS_FILE = DATA_DIR / "metros.yaml"
ALIASES_FILE = DATA_DIR / "place_aliases.yaml"

Area = tuple[str, str | None]  # (country code, admin1 code), admin1 None for a whole country
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
    _area_km: dict[tuple[Area, int], float] = field(default_factory=dict)
    _fuzzy: dict[int, tuple[dict[str, list[str]], dict[str, list[int]]]] = field(
        default_factory=dict)

    def city_name(self, i: int) -> str:
        """'Portland, Oregon, United States' for row i."""
        region = self.regions.get((self.cc[i], self.admin1[i]))
        return ", ".join(x for x in (self.name[i], region, self.country_name(self.cc[i])) if x)

    def area_name(self, cc: str, code: str | None) -> str:
        """'Washington, United States' for a region, 'Georgia' for a country."""
        region = self.regions.get((cc, code)) if code else None
        return ", ".join(x for x in (region, self.country_name(cc)) if x)

    def country_name(self, cc: str) -> str:
        return self.countries.get(cc, cc)

    def named_areas(self, name: str) -> list[Area]:
        """The countries and regions a normalized name names ('georgia': GE and US-GA)."""
        cc = self.countries_by_name.get(name)
        return list(dict.fromkeys([*([(cc, None)] if cc else []),
                                   *self.regions_by_name.get(name, [])]))

    @functools.cached_property
    def area_rows(self) -> dict[Area, list[int]]:
        """The city rows of each region (cc, admin1) and country (cc, None)."""
        rows: dict[Area, list[int]] = {}
        for i, (cc, code) in enumerate(zip(self.cc, self.admin1, strict=True)):
            rows.setdefault((cc, None), []).append(i)
            if code:
                rows.setdefault((cc, code), []).append(i)
        return rows

    @functools.cached_property
    def area_pops(self) -> dict[Area, int]:
        return {area: sum(self.pop[i] for i in rows) for area, rows in self.area_rows.items()}

    def area_pop(self, area: Area) -> int:
        """An area's population as the sum of its cities' (>= 15,000 inhabitants each)."""
        return self.area_pops.get(area, 0)

    def area_km(self, area: Area, i: int) -> float:
        """Distance in km from city row i to the nearest city of an area (0 inside it)."""
        key = (area, i)
        if key not in self._area_km:
            self._area_km[key] = 0.0 if within(self.cc[i], self.admin1[i], area) else min(
                (distance_km(self.lat[i], self.lon[i], self.lat[j], self.lon[j])
                 for j in self.area_rows.get(area, ())), default=float("inf"))
        return self._area_km[key]

    def fuzzy_choices(self, min_len: int) -> tuple[dict[str, list[str]], dict[str, list[int]]]:
        """City names for fuzzy matching by first letter, with populations: primary names,
        plus alternates of cities >= 300k."""
        if min_len in self._fuzzy:
            return self._fuzzy[min_len]
        choices: dict[str, list[str]] = {}
        pops: dict[str, list[int]] = {}
        pop = self.pop
        for name, raw in self.names.items():
            if len(name) < min_len:
                continue
            best = -1
            for r in map(int, raw.split(",")):
                p = pop[r] if r >= 0 else pop[~r] if pop[~r] >= 300_000 else -1
                best = max(best, p)
            if best >= 0:
                choices.setdefault(name[0], []).append(name)
                pops.setdefault(name[0], []).append(best)
        self._fuzzy[min_len] = choices, pops
        return choices, pops


def within(cc: str, code: str | None, area: Area) -> bool:
    """Is a place (country, admin1 code) inside an area (a country or one of its regions)?"""
    return cc == area[0] and (area[1] is None or code == area[1])


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
