"""Pair dot products of sparse rows: the bit-mask path (narrow matrices) and the signature plus
binary-search path (wide ones, like friends) against plain dense products."""

from __future__ import annotations

import numpy as np
import pytest

from mentorctl.sparse_rows import Csr, row_dots


@pytest.mark.parametrize("width", [40, 5_000])  # bit masks; signatures and searches
def test_pair_dots_equal_dense_products(width):
    rng = np.random.default_rng(width)
    rows = [sorted(set(rng.integers(0, width, rng.integers(0, 25)).tolist())) for _ in range(600)]
    binary = Csr.from_rows(rows, width)
    weighted = binary.scale_columns(rng.random(width).astype(np.float32) + 0.1)
    dense_w = np.zeros((600, width))
    dense_b = np.zeros((600, width))
    for i, r in enumerate(rows):
        dense_b[i, r] = 1.0
        dense_w[i, r] = weighted.data[weighted.indptr[i]:weighted.indptr[i + 1]]
    e = rng.integers(0, 600, 20_000)
    m = rng.integers(0, 600, 20_000)
    # Pairs that share a column on purpose, besides the random ones (rare at 5,000 columns).
    e = np.r_[e, np.arange(600)]
    m = np.r_[m, np.arange(600)]
    dots = row_dots(weighted, binary, e, m)
    expected = (dense_w[e] * dense_b[m]).sum(axis=1)
    assert np.allclose(dots, expected, rtol=1e-6, atol=1e-9)
    assert (dots > 0).sum() > 600 * 0.9  # the shared-column pairs were found
    assert np.all(dots[expected == 0] == 0)  # exactly 0 where nothing is shared
