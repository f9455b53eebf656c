"""Merkle trees and inclusion proofs as RFC 9162 (Certificate Transparency v2) defines them.

A landmark signs one tree head per batch instead of one signature per measurement;
each measurement then proves it belongs to the signed tree with a path of sibling
hashes. Leaves and inner nodes are hashed with different prefixes (0x00 and 0x01) so a
leaf can never be passed off as an inner node. Trees of any size are allowed: the left
subtree always holds the largest power of two smaller than the size (RFC 9162 §2.1.1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

_sha256 = hashlib.sha256


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry): the hash of one leaf."""
    return _sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an inner node."""
    return _sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two strictly smaller than ``size`` (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def tree_with_paths(leaves: Sequence[bytes]) -> tuple[bytes, list[list[bytes]]]:
    """The root and the inclusion path of every leaf, hashing each node once.

    Raises:
        ValueError: no leaves.
    """
    if not leaves:
        raise ValueError("a Merkle tree needs at least one leaf")
    paths: list[list[bytes]] = [[] for _ in leaves]
    root = _build(leaves, 0, len(leaves), paths)
    return root, paths


def _build(
    leaves: Sequence[bytes], start: int, end: int, paths: list[list[bytes]]
) -> bytes:
    """Hash leaves[start:end]; append each subtree's sibling to the paths below it.

    Paths grow from the leaf upwards because the recursion appends the sibling of the
    deeper subtree first (the recursive calls return before their parent appends).
    """
    if end - start == 1:
        return leaves[start]
    mid = start + _split(end - start)
    left = _build(leaves, start, mid, paths)
    right = _build(leaves, mid, end, paths)
    for i in range(start, mid):
        paths[i].append(right)
    for i in range(mid, end):
        paths[i].append(left)
    return node_hash(left, right)


def _climb(fn: int, sn: int, r: bytes, p: bytes) -> tuple[int, int, bytes]:
    """One step of RFC 9162 §2.1.3.2: combine with sibling ``p``, move up a level."""
    if fn & 1 or fn == sn:
        r = _sha256(b"\x01" + p + r).digest()
        if not fn & 1:
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
    else:
        r = _sha256(b"\x01" + r + p).digest()
    return fn >> 1, sn >> 1, r


class ProvenNodes:
    """Inclusion checks that remember the nodes earlier proofs reached the root from.

    The records of one batch share the upper part of their paths. Once a proof has
    led a node at some position to the signed root, a later proof that reaches the
    same node at the same position is done, provided the rest of its path is the one
    already checked (compared as text, not hashed): the outcome is the RFC 9162
    algorithm's, with about two hashes per record instead of one per tree level.
    """

    def __init__(self) -> None:
        self._tails: dict[tuple[str, int, int, int, bytes], tuple[str, ...]] = {}

    def verify(
        self, leaf: bytes, index: int, size: int, path: Sequence[str], root: str
    ) -> bool:
        """Whether ``path`` (hex) proves ``leaf`` sits at ``index`` of the tree of
        ``size`` leaves with ``root`` (hex).

        The algorithm of RFC 9162 §2.1.3.2: walk up from the leaf, combining with
        each sibling on the side the index bits say; the walk must use the whole
        path and end exactly at the root of a tree of ``size`` leaves.
        """
        if index < 0 or index >= size:
            return False
        fn, sn = index, size - 1
        r = leaf
        walked: list[tuple[tuple[str, int, int, int, bytes], int]] = []
        for k, text in enumerate(path):
            if sn == 0:
                return False
            state = (root, size, fn, sn, r)
            tail = self._tails.get(state)
            if tail is not None:
                proven = tuple(path[k:]) == tail
                if proven:
                    self._remember(walked, path)
                return proven
            walked.append((state, k))
            fn, sn, r = _climb(fn, sn, r, bytes.fromhex(text))
        if sn != 0 or r.hex() != root:
            return False
        self._remember(walked, path)
        return True

    def _remember(
        self,
        walked: list[tuple[tuple[str, int, int, int, bytes], int]],
        path: Sequence[str],
    ) -> None:
        for state, k in walked:
            self._tails[state] = tuple(path[k:])
