"""Benchmark: point → territory chain over the demo city's unit grids.

Builds the demo city's territory exactly as `load_demo` does (same seed), indexes it,
then locates random points inside the four urban districts:
  * with the routing index (STRtree, as the API does), and
  * by a brute-force scan: every grid polygon (prepared) tested for every point, one
    polygon at a time, which is what "brute force" means and what the target is set
    against; and also
  * by the same scan vectorised over all polygons in one shapely call, the fastest scan
    there is, printed for transparency,
in the same run and on one core, and prints the rates and ratios.

Targets (issue "Foundation"): ≥ 50,000 lookups/s and ≥ 100× the brute-force rate.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwen.settings")
os.environ.setdefault("CHUANGWEN_TESTING", "1")

import django

django.setup()

from chuangwen.core.geo import to_geojson  # noqa: E402
from chuangwen.demo import city  # noqa: E402
from chuangwen.territory.choices import Level  # noqa: E402
from chuangwen.territory.routing import NodeRow, RoutingIndex  # noqa: E402

INDEX_POINTS = 200_000
BRUTE_POINTS = 300
VECTOR_POINTS = 2_000
SEED = 20261125


def build_rows():
    specs, counts = city.generate()
    rows, paths = [], {}
    for i, spec in enumerate(specs, start=1):
        path = (paths[spec.parent_code] if spec.parent_code else "") + spec.code + "/"
        paths[spec.code] = path
        rows.append(
            NodeRow(i, spec.code, spec.name, spec.level, spec.kind, path, to_geojson(spec.geometry))
        )
    return rows, specs, counts


def urban_points(specs, n, rng):
    urban = shapely.union_all(
        [
            s.geometry
            for s in specs
            if s.level == Level.STREET and s.parent_code in city.URBAN_DISTRICTS
        ]
    )
    shapely.prepare(urban)
    min_x, min_y, max_x, max_y = urban.bounds
    points = []
    while len(points) < n:
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if shapely.contains_xy(urban, x, y):
            points.append((x, y))
    return points


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rng = random.Random(SEED)
    rows, specs, counts = build_rows()
    started = time.perf_counter()
    index = RoutingIndex(rows)
    build_seconds = time.perf_counter() - started
    points = urban_points(specs, INDEX_POINTS, rng)

    grid_rows = [r for r in rows if r.level == Level.GRID]
    grid_geoms = np.array([shapely.geometry.shape(r.geometry) for r in grid_rows], dtype=object)
    shapely.prepare(grid_geoms)

    def brute(x, y):
        for row, geom in zip(grid_rows, grid_geoms, strict=True):
            if shapely.intersects_xy(geom, x, y):
                return row.code
        return None

    def vectorised(x, y):
        hits = np.flatnonzero(shapely.intersects_xy(grid_geoms, x, y))
        return grid_rows[hits[0]].code if hits.size else None

    # Warm up both paths, then check they agree before timing anything.
    for x, y in points[:BRUTE_POINTS]:
        chain = index.locate(x, y)
        expected = brute(x, y)
        assert expected == vectorised(x, y)
        if (chain.grid.code if chain and chain.grid else None) != expected:
            # Only a point on a shared border may differ (both grids contain it).
            assert shapely.intersects_xy(
                grid_geoms[[r.code for r in grid_rows].index(chain.grid.code)], x, y
            )

    started = time.perf_counter()
    found = 0
    for x, y in points:
        if index.locate(x, y) is not None:
            found += 1
    index_seconds = time.perf_counter() - started
    index_rate = len(points) / index_seconds

    started = time.perf_counter()
    for x, y in points[:BRUTE_POINTS]:
        brute(x, y)
    brute_seconds = time.perf_counter() - started
    brute_rate = BRUTE_POINTS / brute_seconds

    started = time.perf_counter()
    for x, y in points[:VECTOR_POINTS]:
        vectorised(x, y)
    vector_rate = VECTOR_POINTS / (time.perf_counter() - started)

    ratio = index_rate / brute_rate
    print(
        f"demo territory: {counts['grids']} grids ({counts['urban_grids']} urban), index built in {build_seconds:.2f} s"
    )
    print(
        f"routing index : {index_rate:12,.0f} lookups/s  ({len(points):,} points, {found:,} located, one core)"
    )
    print(
        f"brute force   : {brute_rate:12,.0f} lookups/s  ({BRUTE_POINTS:,} points, every grid tested)"
    )
    print(
        f"vectorised    : {vector_rate:12,.0f} lookups/s  ({VECTOR_POINTS:,} points, all grids in one call)"
    )
    print(f"ratio         : {ratio:12,.1f}×  index vs brute force (same run)")
    print(
        f"ratio         : {index_rate / vector_rate:12,.1f}×  index vs vectorised scan (same run)"
    )
    ok = index_rate >= 50_000 and ratio >= 100
    print(f"targets ≥ 50,000/s and ≥ 100×: {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
