"""RFC 9162 Merkle trees: roots and inclusion proofs against a brute-force tree."""

from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chipgate.location.merkle import (
    ProvenNodes,
    leaf_hash,
    node_hash,
    tree_with_paths,
)


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: list[bytes], root: bytes
) -> bool:
    """The RFC 9162 check with nothing remembered: a fresh memo for every proof."""
    return ProvenNodes().verify(leaf, index, size, [p.hex() for p in path], root.hex())


def _reference_root(leaves: list[bytes]) -> bytes:
    """MTH exactly as RFC 9162 §2.1.1 words it."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(_reference_root(leaves[:k]), _reference_root(leaves[k:]))


def _reference_path(leaves: list[bytes], m: int) -> list[bytes]:
    """PATH(m, D[n]) exactly as RFC 9162 §2.1.3.1 words it."""
    if len(leaves) == 1:
        return []
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    if m < k:
        return [*_reference_path(leaves[:k], m), _reference_root(leaves[k:])]
    return [*_reference_path(leaves[k:], m - k), _reference_root(leaves[:k])]


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(f"entry {i}".encode()) for i in range(n)]


def test_hashes_are_domain_separated() -> None:
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@pytest.mark.parametrize("size", range(1, 34))
def test_every_proof_of_every_tree_up_to_33_leaves(size: int) -> None:
    leaves = _leaves(size)
    root, paths = tree_with_paths(leaves)
    assert root == _reference_root(leaves)
    for index in range(size):
        path = _reference_path(leaves, index)
        assert paths[index] == path
        assert verify_inclusion(leaves[index], index, size, path, root)
        # the wrong leaf, the wrong place, a tree too small, a shorter or longer
        # path, or any sibling changed: refused
        other = leaves[(index + 1) % size]
        assert size == 1 or not verify_inclusion(other, index, size, path, root)
        for wrong in range(size):
            if wrong != index:
                assert not verify_inclusion(leaves[index], wrong, size, path, root)
        assert not verify_inclusion(leaves[index], index, index, path, root)
        assert not verify_inclusion(leaves[index], size, size, path, root)
        assert not verify_inclusion(leaves[index], -1, size, path, root)
        if path:
            assert not verify_inclusion(leaves[index], index, size, path[:-1], root)
        assert not verify_inclusion(
            leaves[index], index, size, [*path, leaves[0]], root
        )
        for k in range(len(path)):
            bent = [*path[:k], leaf_hash(path[k]), *path[k + 1 :]]
            assert not verify_inclusion(leaves[index], index, size, bent, root)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(min_value=1, max_value=3000), data=st.data())
def test_random_sizes_and_indices_prove_and_nothing_else_does(
    size: int, data: st.DataObject
) -> None:
    leaves = _leaves(size)
    root, paths = tree_with_paths(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    assert paths[index] == _reference_path(leaves, index)
    assert verify_inclusion(leaves[index], index, size, paths[index], root)
    wrong = data.draw(st.integers(min_value=0, max_value=size - 1))
    if wrong != index:
        assert not verify_inclusion(leaves[index], wrong, size, paths[index], root)
    bigger = data.draw(st.integers(min_value=size + 1, max_value=2 * size + 2))
    bigger_leaves = _leaves(bigger)
    assert not verify_inclusion(
        leaves[index], index, bigger, paths[index], _reference_root(bigger_leaves)
    )


def test_an_empty_tree_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one leaf"):
        tree_with_paths([])


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 33, 100])
def test_remembered_nodes_give_the_plain_algorithms_answer(size: int) -> None:
    """One memo, every proof of the tree in random order, each also bent, cut,
    lengthened, moved and given another leaf: the shared memo must agree with a
    fresh one every time, before and after nodes are remembered."""
    leaves = _leaves(size)
    root, paths = tree_with_paths(leaves)
    memo = ProvenNodes()
    rng = random.Random(size)
    trials: list[tuple[bytes, int, list[bytes]]] = []
    for index in range(size):
        path = paths[index]
        trials.append((leaves[index], index, path))
        trials.append((leaves[(index + 1) % size], index, path))
        trials.append((leaves[index], (index + 1) % size, path))
        trials.append((leaves[index], index, path[:-1]))
        trials.append((leaves[index], index, [*path, leaves[0]]))
        for k in range(len(path)):
            trials.append(
                (leaves[index], index, [*path[:k], leaf_hash(path[k]), *path[k + 1 :]])
            )
    rng.shuffle(trials)
    for leaf, index, path in trials:
        expected = verify_inclusion(leaf, index, size, path, root)
        got = memo.verify(leaf, index, size, [p.hex() for p in path], root.hex())
        assert got == expected, (index, len(path))
    for index in range(size):  # every honest proof still passes once all is known
        assert memo.verify(
            leaves[index], index, size, [p.hex() for p in paths[index]], root.hex()
        )
