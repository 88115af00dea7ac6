"""A member x item incidence matrix in CSR form with numpy alone.

`suggest` scores one mentee against every mentor: that needs only "which members hold item c",
which a transposed index answers with numpy. Importing scipy would cost more than the whole
computation, so scipy is reached (through `.scipy`) only by the whole-program assignment.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

MAX_BIT_WORDS = 16  # bit mask words per row (1,024 columns) up to which a dot is a bit test
SIGNATURE_WORDS = 8  # a row's columns hashed into 512 bits: two rows share a column only if
# their signatures share a bit, so most pairs of a wide matrix (friends) need no search at all
# (at 100k members 10 % of the candidate pairs overlap with 512 bits, 15 % with 256)
SIGNATURE_BITS = (SIGNATURE_WORDS * 64).bit_length() - 1  # a column's bit: the hash's top bits


class Csr:
    """Rows are members, columns items (schools, interests, languages, friends)."""

    def __init__(self, data, indices, indptr, shape: tuple[int, int]):
        self.data = np.asarray(data, dtype=np.float32)
        self.indices = np.asarray(indices, dtype=np.int32)
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.shape = (int(shape[0]), int(shape[1]))

    @classmethod
    def from_rows(cls, rows: list[list[int]], width: int) -> Csr:
        """Binary incidence from each member's item codes (duplicates collapse)."""
        rows = [sorted(set(r)) for r in rows]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(r) for r in rows])
        indices = np.fromiter((c for r in rows for c in r), dtype=np.int32, count=int(indptr[-1]))
        return cls(np.ones(len(indices), np.float32), indices, indptr, (len(rows), max(width, 1)))

    @property
    def nnz(self) -> int:
        return len(self.indices)

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[i], self.indptr[i + 1]
        return self.indices[start:end], self.data[start:end]

    def row_ids(self) -> np.ndarray:
        """The row of each stored entry."""
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def row_sums(self) -> np.ndarray:
        return np.bincount(self.row_ids(), weights=self.data, minlength=self.shape[0])

    def scale_columns(self, factor: np.ndarray) -> Csr:
        return Csr(self.data * factor[self.indices], self.indices, self.indptr, self.shape)

    @cached_property
    def row_lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    @cached_property
    def signature(self) -> np.ndarray:
        """Each row's columns hashed into SIGNATURE_WORDS x 64 bits (rows x words, uint64)."""
        # Fibonacci hashing: the product's top bits spread neighbouring columns apart.
        spread = self.indices.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        bits = spread >> np.uint64(64 - SIGNATURE_BITS)
        flat = np.zeros(self.shape[0] * SIGNATURE_WORDS, dtype=np.uint64)
        np.bitwise_or.at(flat, self.row_ids() * SIGNATURE_WORDS + (bits >> np.uint64(6)).astype(
            np.int64), np.left_shift(np.uint64(1), bits & np.uint64(63)))
        return flat.reshape(self.shape[0], SIGNATURE_WORDS)

    @cached_property
    def entry_keys(self) -> np.ndarray:
        """row * width + column of every stored entry: sorted, since CSR is."""
        return self.row_ids().astype(np.int64) * np.int64(self.shape[1]) + self.indices

    @cached_property
    def transposed(self) -> Csr:
        order = np.argsort(self.indices, kind="stable")
        counts = np.bincount(self.indices, minlength=self.shape[1])
        indptr = np.zeros(self.shape[1] + 1, dtype=np.int64)
        indptr[1:] = np.cumsum(counts)
        return Csr(self.data[order], self.row_ids()[order], indptr, (self.shape[1], self.shape[0]))

    def dot_row_with_all(self, vector_cols: np.ndarray, vector_vals: np.ndarray) -> np.ndarray:
        """For every row r: sum over c of self[r, c] * vector[c] (a sparse matrix-vector product)."""
        t = self.transposed
        starts, ends = t.indptr[vector_cols], t.indptr[vector_cols + 1]
        lengths = ends - starts
        if lengths.sum() == 0:
            return np.zeros(self.shape[0])
        positions = np.repeat(starts - np.cumsum(np.r_[0, lengths[:-1]]), lengths) + \
            np.arange(lengths.sum())
        weights = t.data[positions] * np.repeat(vector_vals, lengths)
        return np.bincount(t.indices[positions], weights=weights, minlength=self.shape[0])

    @cached_property
    def bits(self) -> tuple[int, np.ndarray] | None:
        """(words, each row's columns as uint64 masks, row-major) for a binary matrix narrow
        enough (interests, schools, languages); None otherwise (friends)."""
        words = (self.shape[1] + 63) // 64
        if words > MAX_BIT_WORDS or not np.all(self.data == 1):
            return None
        columns = self.indices.astype(np.int64)
        flat = np.zeros(self.shape[0] * words, dtype=np.uint64)
        np.bitwise_or.at(flat, self.row_ids() * words + (columns >> 6),
                         np.left_shift(np.uint64(1), (columns & 63).astype(np.uint64)))
        return words, flat

    @cached_property
    def scipy(self):
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def pair_dots(left: Csr, right: Csr, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """For each pair k: the dot product of row e[k] of `left` and row m[k] of `right`.

    Each stored entry (row, column) of `right` is a sorted key row * width + column (CSR keeps
    rows and, within a row, columns in order), so "does m[k] hold column c" is a binary search,
    or a bit test where `right.bits` has masks. The work is proportional to the entries of the
    e-rows, not to the width.
    """
    if len(e) == 0 or left.nnz == 0 or right.nnz == 0:
        return np.zeros(len(e))
    if right.bits is None:
        # A wide matrix (friends): only the pairs whose signatures overlap can share a column;
        # the others' dots are 0, exactly as the search would find them (at 100k members about
        # nine pairs in ten, and the search was most of the scoring).
        maybe = np.flatnonzero((left.signature[e] & right.signature[m]).any(axis=1))
        if len(maybe) == len(e):
            return _searched_dots(left, right, e, m)
        dots = np.zeros(len(e))
        if len(maybe):
            dots[maybe] = _searched_dots(left, right, e[maybe], m[maybe])
        return dots
    pair, positions = _entries_of(left, e)
    # A bit test instead of a binary search (a binary search into a million keys was most of
    # the scoring time of a large program); right holds ones, so the sums are the same.
    words, flat = right.bits
    columns = left.indices[positions].astype(np.int64)
    word = flat[m[pair].astype(np.int64) * words + (columns >> 6)]
    hit = (np.right_shift(word, (columns & 63).astype(np.uint64)) & np.uint64(1)).astype(bool)
    return np.bincount(pair[hit], weights=left.data[positions[hit]] * np.float32(1.0),
                       minlength=len(e))


def _entries_of(left: Csr, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pair k, position in left's entries) for every entry of every row e[k]."""
    lengths = np.diff(left.indptr)[e]
    total = int(lengths.sum())
    pair = np.repeat(np.arange(len(e)), lengths)
    positions = np.repeat(left.indptr[e] - np.cumsum(np.r_[0, lengths[:-1]]), lengths) + \
        np.arange(total)
    return pair, positions


def _searched_dots(left: Csr, right: Csr, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """pair_dots by binary search of each e-row entry among right's sorted entry keys."""
    width = np.int64(right.shape[1])
    pair, positions = _entries_of(left, e)
    right_keys = right.entry_keys
    wanted = m[pair].astype(np.int64) * width + left.indices[positions]
    found = np.minimum(np.searchsorted(right_keys, wanted), len(right_keys) - 1)
    hit = right_keys[found] == wanted
    weights = left.data[positions[hit]] * right.data[found[hit]]
    return np.bincount(pair[hit], weights=weights, minlength=len(e))


def row_dots(left: Csr, right: Csr, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """For each pair k, the dot product of row e[k] of `left` with row m[k] of `right`."""
    if left.nnz == 0 or right.nnz == 0 or len(e) == 0:
        return np.zeros(len(e), dtype=np.float64)
    if e[0] == e[-1] and np.all(e == e[0]):
        # One mentee against many mentors (suggest): one sparse matrix-vector product, numpy only.
        return right.dot_row_with_all(*left.row(int(e[0])))[m]
    return pair_dots(left, right, e, m)
