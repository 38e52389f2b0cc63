package dev.cohort.core.internal.design;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Distinct k-subsets of {0, …, n-1} in which every index appears equally often, one group at a
 * time. Each group takes its members from the indices that have appeared least (the "deck"); when
 * fewer than k are left, all of them join the group and the rest come from the next deck. So after
 * N groups every index has appeared ⌊kN/n⌋ or ⌈kN/n⌉ times. Among the deck, each member is the best
 * of {@value #CANDIDATES} random candidates by how often it has already met the members chosen so
 * far, which spreads pair co-occurrence far more evenly than uniform draws.
 *
 * <p>A group equal to an earlier one is redrawn (up to {@value #RETRIES} times). Only when the deck
 * forces a repeated group (it holds exactly the members of an earlier group) is one member taken
 * from outside the deck, which can leave one index two appearances ahead: {@link #widened()} counts
 * these; {@code DesignPlanner} then repairs the plan ({@link SpreadRepair}) before handing it out.
 *
 * <p>{@link #record} feeds groups planned earlier (an extension), after which new groups continue
 * from the counts they leave. Memory: one int per index, one key per group, one count per pair met.
 */
final class BalancedGroups {
  static final int CANDIDATES = 8;
  static final int RETRIES = 32;

  private final int n;
  private final int k;
  private final SplittableRandom random;
  private final int[] counts;
  private final PairCounts pairs;
  private final Set<GroupKey> seen = new HashSet<>();
  /** The deck: indices whose count is {@link #min}; the first {@link #deckSize} entries. */
  private final int[] deck;
  /** Where each index sits in {@link #deck}, or -1. */
  private final int[] position;
  private int deckSize = -1;
  private int min;
  private int widened;

  BalancedGroups(int n, int k, long seed) {
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("need 1 <= k <= n, got n=" + n + ", k=" + k);
    }
    this.n = n;
    this.k = k;
    this.random = new SplittableRandom(seed);
    this.counts = new int[n];
    this.pairs = new PairCounts(n);
    this.deck = new int[n];
    this.position = new int[n];
  }

  /** Counts a group planned before (ascending indices), so the next groups balance the whole. */
  void record(int[] group) {
    seen.add(new GroupKey(group.clone()));
    for (int v : group) {
      counts[v]++;
    }
    pairs.addGroup(group);
    deckSize = -1;
  }

  /** How many groups had to take a member from outside the deck. */
  int widened() {
    return widened;
  }

  /**
   * The next group, ascending.
   *
   * @throws IllegalStateException when no new group can be found (the plan holds nearly all of them)
   */
  int[] next() {
    if (deckSize < 0) {
      refillDeck();
    }
    int[] group = new int[k];
    for (int attempt = 0; attempt < RETRIES; attempt++) {
      int forced = choose(group);
      int[] sorted = group.clone();
      Arrays.sort(sorted);
      if (!seen.contains(new GroupKey(sorted))) {
        commit(sorted);
        return sorted;
      }
      if (forced == k) {
        break;
      }
    }
    int[] sorted = widen(group);
    widened++;
    commit(sorted);
    return sorted;
  }

  /**
   * Fills {@code group} without changing any state: all of the deck when it holds at most k, else k
   * of it; the rest from the next deck. Returns how many members had no alternative.
   */
  private int choose(int[] group) {
    int size = 0;
    if (deckSize <= k) {
      for (int i = 0; i < deckSize; i++) {
        group[size++] = deck[i];
      }
      int forced = size;
      while (size < k) {
        group[size] = best(group, size, false);
        size++;
      }
      return deckSize == k ? k : forced;
    }
    while (size < k) {
      group[size] = best(group, size, true);
      size++;
    }
    return 0;
  }

  /** The best of a few random candidates not yet in the group: from the deck, or from the next one. */
  private int best(int[] group, int size, boolean fromDeck) {
    int best = -1;
    int bestScore = Integer.MAX_VALUE;
    int tries = 0;
    for (int c = 0; c < CANDIDATES && tries < CANDIDATES * 8; tries++) {
      int candidate = fromDeck ? deck[random.nextInt(deckSize)] : random.nextInt(n);
      if (!fromDeck && counts[candidate] != min + 1 && position[candidate] < 0) {
        // The next deck holds the indices one ahead of the deck; the deck's own are all in the group.
        continue;
      }
      if (contains(group, size, candidate)) {
        continue;
      }
      c++;
      int score = pairs.score(candidate, group, size);
      if (score < bestScore) {
        bestScore = score;
        best = candidate;
      }
    }
    if (best < 0) {
      // Random candidates kept missing (a small next deck): scan for the first eligible index.
      for (int v = 0; v < n; v++) {
        boolean eligible = fromDeck ? position[v] >= 0 : counts[v] == min + 1 || position[v] >= 0;
        if (eligible && !contains(group, size, v)) {
          return v;
        }
      }
      throw new IllegalStateException("no index is left for the group");
    }
    return best;
  }

  /** Replaces the last member by any index that makes the group new (least used first). */
  private int[] widen(int[] group) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(counts[a], counts[b]));
    for (int drop = k - 1; drop >= 0; drop--) {
      for (int v : order) {
        if (contains(group, k, v)) {
          continue;
        }
        int[] candidate = group.clone();
        candidate[drop] = v;
        Arrays.sort(candidate);
        if (!seen.contains(new GroupKey(candidate))) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException("every group of " + k + " of " + n + " is planned already");
  }

  private void commit(int[] group) {
    seen.add(new GroupKey(group));
    pairs.addGroup(group);
    for (int v : group) {
      counts[v]++;
      removeFromDeck(v);
    }
    if (deckSize == 0) {
      refillDeck();
    }
  }

  private void removeFromDeck(int v) {
    int at = position[v];
    if (at < 0) {
      return;
    }
    int last = deck[--deckSize];
    deck[at] = last;
    position[last] = at;
    position[v] = -1;
  }

  /** The deck becomes every index with the smallest count. */
  private void refillDeck() {
    min = Integer.MAX_VALUE;
    for (int c : counts) {
      min = Math.min(min, c);
    }
    deckSize = 0;
    for (int v = 0; v < n; v++) {
      if (counts[v] == min) {
        position[v] = deckSize;
        deck[deckSize++] = v;
      } else {
        position[v] = -1;
      }
    }
  }

  private static boolean contains(int[] values, int size, int value) {
    for (int i = 0; i < size; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }
}
