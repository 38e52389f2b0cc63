package dev.cohort.core.internal.design;

import dev.cohort.core.batch.Constraints;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Requirement;
import dev.cohort.core.batch.ValidationException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The k-subsets of a pool that meet a request's {@link Constraints}, counted exactly and ranked:
 * every feasible group has one rank in {@code [0, count())} and {@link #group(BigInteger)} turns a
 * rank back into its group, so drawing ranks uniformly draws feasible groups uniformly.
 *
 * <p>The count is a dynamic programme over attribute classes, never an enumeration. Entities are
 * classed by the requirements they meet (a bit mask) and, with {@code distinct_by}, by their value
 * of that attribute. The programme walks the classes ("items": one per distinct value, or one per
 * mask without {@code distinct_by}) and keeps, for every state — members chosen so far and how many
 * meet each requirement — how many ways the remaining items complete a feasible group: {@code
 * F[i][s]}. A group is ranked by the items it skips and the members it takes, in item order; {@link
 * #group} reverses that with a binary search over the items (the ways to complete a state only
 * shrink as items are skipped), so a draw costs O(k · (log items + classes)) big-number steps.
 * The table holds items × states numbers; {@link #MAX_TABLE} bounds it.
 */
public final class FeasibleGroups {
  /** Most entries of the table (items × states) before a request is refused as too complex. */
  static final long MAX_TABLE = 8_000_000;

  private final int k;
  private final Constraints constraints;
  private final List<Entity> entities;
  /** Per item, its classes: members (pool indices, ascending) and the mask they share. */
  private final int[][][] itemMembers;
  private final int[][] itemMasks;
  /** Whether an item gives at most one member (items are distinct values). */
  private final boolean oneMemberPerItem;
  private final int[] caps;
  private final int[] radix;
  private final int states;
  private final BigInteger[][] ways;

  private FeasibleGroups(List<Entity> entities, int k, Constraints constraints) {
    this.k = k;
    this.constraints = constraints;
    this.entities = List.copyOf(entities);
    List<Requirement> require = constraints.require();
    caps = new int[require.size()];
    for (int j = 0; j < caps.length; j++) {
      caps[j] = require.get(j).maxFor(k);
    }
    radix = new int[caps.length + 1];
    long size = k + 1L;
    radix[0] = 1;
    for (int j = 0; j < caps.length; j++) {
      radix[j + 1] = (int) size;
      size *= caps[j] + 1L;
    }
    states = (int) size;
    oneMemberPerItem = !constraints.distinctBy().isEmpty();
    Map<String, Map<Integer, List<Integer>>> items = new LinkedHashMap<>();
    for (int e = 0; e < entities.size(); e++) {
      Entity entity = entities.get(e);
      String item = oneMemberPerItem ? AttributeText.of(entity, constraints.distinctBy().get(0)) : "";
      int mask = mask(entity);
      String key = oneMemberPerItem ? item : Integer.toString(mask);
      items.computeIfAbsent(key, x -> new LinkedHashMap<>()).computeIfAbsent(mask, x -> new ArrayList<>()).add(e);
    }
    itemMembers = new int[items.size()][][];
    itemMasks = new int[items.size()][];
    int i = 0;
    for (Map<Integer, List<Integer>> classes : items.values()) {
      itemMembers[i] = new int[classes.size()][];
      itemMasks[i] = new int[classes.size()];
      int c = 0;
      for (Map.Entry<Integer, List<Integer>> cls : classes.entrySet()) {
        itemMasks[i][c] = cls.getKey();
        itemMembers[i][c] = cls.getValue().stream().mapToInt(Integer::intValue).toArray();
        c++;
      }
      i++;
    }
    if ((long) (itemMembers.length + 1) * states > MAX_TABLE) {
      throw new ValidationException("constraints", "are too complex to count exactly: " + itemMembers.length
          + " attribute classes × " + states + " states exceed " + MAX_TABLE + "; use fewer requirements or a"
          + " distinct_by attribute with fewer values");
    }
    ways = new BigInteger[itemMembers.length + 1][states];
    fill();
  }

  /**
   * The feasible groups of size {@code k} of {@code entities} (the pool, in pool order).
   *
   * @throws ValidationException naming {@code constraints} when none is feasible, saying why, or
   *     when the count's table would be too large
   */
  public static FeasibleGroups of(List<Entity> entities, int k, Constraints constraints) {
    FeasibleGroups groups = new FeasibleGroups(entities, k, constraints);
    if (groups.count().signum() == 0) {
      throw new ValidationException("constraints", groups.whyInfeasible());
    }
    return groups;
  }

  /** How many k-subsets of the pool meet the constraints. */
  public BigInteger count() {
    return ways[0][0];
  }

  /** The group size. */
  public int groupSize() {
    return k;
  }

  /**
   * The feasible group with this rank, as ascending pool indices.
   *
   * @throws IllegalArgumentException when the rank is outside {@code [0, count())}
   */
  public int[] group(BigInteger rank) {
    if (rank.signum() < 0 || rank.compareTo(count()) >= 0) {
      throw new IllegalArgumentException("rank " + rank + " is outside [0, " + count() + ")");
    }
    int[] out = new int[k];
    int taken = 0;
    int state = 0;
    int item = 0;
    BigInteger r = rank;
    int items = itemMembers.length;
    while (taken < k) {
      // The first item that contributes: ranks below ways[j+1][state] skip item j.
      int lo = item;
      int hi = items - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (r.compareTo(ways[mid + 1][state]) >= 0) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      int j = lo;
      r = r.subtract(ways[j + 1][state]);
      boolean placed = false;
      for (int c = 0; c < itemMembers[j].length && !placed; c++) {
        int[] members = itemMembers[j][c];
        int maxTake = oneMemberPerItem ? 1 : Math.min(k - size(state), members.length);
        for (int t = 1; t <= maxTake; t++) {
          int next = advance(state, itemMasks[j][c], t);
          if (next < 0) {
            continue;
          }
          BigInteger completions = ways[j + 1][next];
          BigInteger block = binomial(members.length, t).multiply(completions);
          if (r.compareTo(block) < 0) {
            BigInteger[] split = r.divideAndRemainder(completions);
            for (int m : subset(members, t, split[0])) {
              out[taken++] = m;
            }
            r = split[1];
            state = next;
            placed = true;
            break;
          }
          r = r.subtract(block);
        }
      }
      if (!placed) {
        throw new IllegalStateException("rank " + rank + " did not resolve at item " + j);
      }
      item = j + 1;
    }
    Arrays.sort(out);
    return out;
  }

  /** Whether the group (pool indices) meets the constraints. */
  public boolean admits(int[] group) {
    if (!constraints.distinctBy().isEmpty()) {
      String attribute = constraints.distinctBy().get(0);
      Set<String> values = new HashSet<>();
      for (int e : group) {
        if (!values.add(AttributeText.of(entities.get(e), attribute))) {
          return false;
        }
      }
    }
    List<Requirement> require = constraints.require();
    for (int j = 0; j < require.size(); j++) {
      int count = 0;
      for (int e : group) {
        if ((mask(entities.get(e)) & (1 << j)) != 0) {
          count++;
        }
      }
      if (count < require.get(j).min() || count > caps[j]) {
        return false;
      }
    }
    return true;
  }

  private int mask(Entity entity) {
    int mask = 0;
    List<Requirement> require = constraints.require();
    for (int j = 0; j < require.size(); j++) {
      Requirement r = require.get(j);
      if (AttributeText.of(entity, r.attribute()).equals(r.value())) {
        mask |= 1 << j;
      }
    }
    return mask;
  }

  private void fill() {
    int items = itemMembers.length;
    for (int s = 0; s < states; s++) {
      ways[items][s] = isFinal(s) ? BigInteger.ONE : BigInteger.ZERO;
    }
    for (int i = items - 1; i >= 0; i--) {
      for (int s = 0; s < states; s++) {
        BigInteger total = ways[i + 1][s];
        int room = k - size(s);
        for (int c = 0; c < itemMembers[i].length && room > 0; c++) {
          int[] members = itemMembers[i][c];
          int maxTake = oneMemberPerItem ? 1 : Math.min(room, members.length);
          for (int t = 1; t <= maxTake; t++) {
            int next = advance(s, itemMasks[i][c], t);
            if (next >= 0 && ways[i + 1][next].signum() > 0) {
              total = total.add(binomial(members.length, t).multiply(ways[i + 1][next]));
            }
          }
        }
        ways[i][s] = total;
      }
    }
  }

  private int size(int state) {
    return state % (k + 1);
  }

  private int countOf(int state, int j) {
    return state / radix[j + 1] % (caps[j] + 1);
  }

  private boolean isFinal(int state) {
    if (size(state) != k) {
      return false;
    }
    for (int j = 0; j < caps.length; j++) {
      if (countOf(state, j) < constraints.require().get(j).min()) {
        return false;
      }
    }
    return true;
  }

  /** The state after taking {@code t} members with {@code mask}, or -1 when that breaks a bound. */
  private int advance(int state, int mask, int t) {
    if (size(state) + t > k) {
      return -1;
    }
    int next = state + t;
    for (int j = 0; j < caps.length; j++) {
      if ((mask & (1 << j)) != 0) {
        if (countOf(state, j) + t > caps[j]) {
          return -1;
        }
        next += t * radix[j + 1];
      }
    }
    return next;
  }

  /** The {@code index}-th t-subset of {@code members} in colex order. */
  private static int[] subset(int[] members, int t, BigInteger index) {
    int[] out = new int[t];
    BigInteger r = index;
    int upper = members.length - 1;
    for (int p = t; p >= 1; p--) {
      // The largest x with C(x, p) <= r.
      int lo = p - 1;
      int hi = upper;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (binomial(mid, p).compareTo(r) <= 0) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      out[p - 1] = members[lo];
      r = r.subtract(binomial(lo, p));
      upper = lo - 1;
    }
    return out;
  }

  static BigInteger binomial(int n, int t) {
    if (t < 0 || t > n) {
      return BigInteger.ZERO;
    }
    int m = Math.min(t, n - t);
    if (m == 0) {
      return BigInteger.ONE;
    }
    if (m == 1) {
      return BigInteger.valueOf(n);
    }
    BigInteger result = BigInteger.ONE;
    for (int i = 1; i <= m; i++) {
      result = result.multiply(BigInteger.valueOf(n - m + i)).divide(BigInteger.valueOf(i));
    }
    return result;
  }

  /** Why no group is feasible, in words a researcher can act on. */
  private String whyInfeasible() {
    StringBuilder why = new StringBuilder("no group of " + k + " entities of the pool meets them");
    if (oneMemberPerItem) {
      why.append("; the pool has ").append(itemMembers.length).append(" distinct values of ")
          .append(constraints.distinctBy().get(0));
      if (itemMembers.length < k) {
        why.append(", fewer than the ").append(k).append(" members of a group");
      }
    }
    List<Requirement> require = constraints.require();
    for (int j = 0; j < require.size(); j++) {
      Requirement r = require.get(j);
      long having = entities.stream().filter(e -> AttributeText.of(e, r.attribute()).equals(r.value())).count();
      why.append("; ").append(having).append(" entities have ").append(r.attribute()).append('=').append(r.value())
          .append(" (at least ").append(r.min()).append(" per group)");
    }
    return why.toString();
  }
}
