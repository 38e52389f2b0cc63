#!/usr/bin/env python3
"""The original system's way of choosing combinations, kept as the baseline for Cohort's sampler.

It materialises every k-subset of the pool, shuffles them all and keeps the first N:

    combinations = list(itertools.combinations(ids, k))
    random.shuffle(combinations)
    chosen = combinations[:N]

Memory and time grow with C(n,k), not with N. Standard library only.

Usage:
    materialise_and_shuffle.py N_POOL K N [SEED]    run it; prints one tab-separated line:
                                                   n k N C(n,k) planned seconds
    materialise_and_shuffle.py --estimate N_POOL K  print C(n,k) and the bytes the list would
                                                   need (tuples plus list slots), without running
"""

import itertools
import math
import random
import sys
import time


def estimated_bytes(n, k):
    """Bytes that list(itertools.combinations(range(n), k)) holds: each tuple plus its list slot.

    The entity ids themselves are shared by every tuple and are not counted.
    """
    per_tuple = sys.getsizeof(tuple(range(k))) + 8
    return math.comb(n, k) * per_tuple


def main(argv):
    if len(argv) >= 2 and argv[1] == "--estimate":
        if len(argv) != 4:
            sys.exit("usage: materialise_and_shuffle.py --estimate N_POOL K")
        n, k = int(argv[2]), int(argv[3])
        print(f"{math.comb(n, k)}\t{estimated_bytes(n, k)}")
        return
    if len(argv) not in (4, 5):
        sys.exit("usage: materialise_and_shuffle.py N_POOL K N [SEED]")
    n, k, wanted = int(argv[1]), int(argv[2]), int(argv[3])
    seed = int(argv[4]) if len(argv) == 5 else 42
    ids = [f"entity-{i}" for i in range(n)]
    random.seed(seed)

    start = time.perf_counter()
    combinations = list(itertools.combinations(ids, k))
    random.shuffle(combinations)
    chosen = combinations[:wanted]
    seconds = time.perf_counter() - start

    print(f"{n}\t{k}\t{wanted}\t{len(combinations)}\t{len(chosen)}\t{seconds:.6f}")


if __name__ == "__main__":
    main(sys.argv)
