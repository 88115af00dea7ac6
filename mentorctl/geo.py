"""Distance on the globe, once for the whole package."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance in km; nan where a coordinate is unknown.

    Plain numbers take a math-only path (one pair's shared points: no numpy per-call overhead);
    numpy arrays broadcast, so a whole array of pairs is one call.
    """
    if all(isinstance(x, (int, float)) for x in (lat1, lon1, lat2, lon2)):
        if any(math.isnan(x) for x in (lat1, lon1, lat2, lon2)):
            return math.nan
        p1, p2 = math.radians(lat1), math.radians(lat2)
        a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * \
            math.sin(math.radians(lon2 - lon1) / 2) ** 2
        return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))
    import numpy as np

    p1, l1, p2, l2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(dist) if np.ndim(dist) == 0 else dist
