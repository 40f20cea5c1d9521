"""The compact LSH of the near-duplicate window gives datasketch's candidates."""

import pickle
import random

from datasketch import MinHashLSH

from marsad.collect.buckets import IdBuckets
from marsad.collect.stories.dedup import NUM_PERM, minhash
from marsad.collect.stories.lsh import CompactLSH


def _sets(n: int, seed: int) -> list[set[str]]:
    rnd = random.Random(seed)
    base = [f"w{i}" for i in range(400)]
    out = []
    for _ in range(n):
        if out and rnd.random() < 0.5:  # an edited copy of an earlier set
            s = set(rnd.choice(out))
            for w in rnd.sample(sorted(s), k=min(len(s), rnd.randint(0, 12))):
                s.discard(w)
            s.update(rnd.sample(base, k=rnd.randint(0, 12)))
        else:
            s = set(rnd.sample(base, k=rnd.randint(20, 60)))
        out.append(s)
    return out


def test_same_candidates_as_datasketch_through_inserts_and_removals():
    for threshold in (0.5, 0.7):
        sets = _sets(300, seed=int(threshold * 10))
        hashes = [minhash(s) for s in sets]
        ours, theirs = CompactLSH(threshold, NUM_PERM), MinHashLSH(threshold, NUM_PERM)
        assert (ours.b, ours.r) == (theirs.b, theirs.r)
        live: list[str] = []
        for i, m in enumerate(hashes):
            assert sorted(ours.query(m)) == sorted(theirs.query(m))
            key = f"doc{i}#0"
            ours.insert(key, m)
            theirs.insert(key, m)
            live.append(key)
            if i % 3 == 2:  # the oldest leaves the window
                old = live.pop(0)
                ours.remove(old)
                theirs.remove(old)
        assert len(ours) == len(live)
        for m in hashes:
            assert sorted(ours.query(m)) == sorted(theirs.query(m))
        # the store pickles the index: a copy read back answers the same
        copy = pickle.loads(pickle.dumps(ours))
        assert all(copy.query(m) == ours.query(m) for m in hashes[:50])
        for key in list(live):
            ours.remove(key)
        assert not len(ours.buckets) and not ours.keys


def test_id_buckets_behave_as_a_dict_of_sets():
    rnd = random.Random(3)
    ours, ref = IdBuckets(), {}
    for _ in range(3000):
        k, n = rnd.randrange(40), rnd.randrange(6)
        if rnd.random() < 0.6:
            ours.add(k, n)
            ref.setdefault(k, set()).add(n)
        else:
            ours.discard(k, n)
            if k in ref:
                ref[k].discard(n)
                if not ref[k]:
                    del ref[k]
        assert len(ours) == len(ref)
    assert {k: set(ours.get(k)) for k in range(40) if k in ours} == ref
    assert ours.get(99) == ()
    copy = pickle.loads(pickle.dumps(ours))
    assert {k: set(copy.get(k)) for k in ref} == ref
