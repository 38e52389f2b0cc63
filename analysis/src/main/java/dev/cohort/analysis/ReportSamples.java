package dev.cohort.analysis;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What the report shows beyond the statistics, gathered in the same pass over a batch: the first
 * transcripts and a few examples of each flag, how often each entity and each pair appeared, and
 * the distribution of each simulation-level number. Bounded: a fixed number of transcripts, one
 * counter per entity and pair (pairs only for pools up to {@value #MAX_PAIR_POOL}), and at most
 * {@value #MAX_DISTINCT_VALUES} distinct values per outcome.
 */
final class ReportSamples implements Consumer<Simulation> {
  /** Transcripts shown from the start of the batch. */
  static final int FIRST_TRANSCRIPTS = 20;
  /** Example transcripts shown per quality flag. */
  static final int EXAMPLES_PER_FLAG = 5;
  /** Largest pool whose pair counts are kept (a triangle of ints: 2 MB at this size). */
  static final int MAX_PAIR_POOL = 1_000;
  /** Most distinct values of one outcome kept for its distribution chart. */
  static final int MAX_DISTINCT_VALUES = 5_000;

  private final boolean includeFlagged;
  private final Map<String, Integer> index = new HashMap<>();
  private final int poolSize;
  private final long[] appearances;
  private final int @Nullable [] pairs;
  private final List<DeclaredOutcome> numeric = new ArrayList<>();
  private final Map<String, @Nullable TreeMap<Double, long[]>> distributions = new HashMap<>();
  private final Map<Integer, Simulation> transcripts = new TreeMap<>();
  private final Map<QualityFlag, List<Integer>> flagExamples = new EnumMap<>(QualityFlag.class);
  private int first;

  /** Samples for the report of {@code batch}; flagged simulations count in the distributions when {@code includeFlagged}. */
  ReportSamples(Batch batch, boolean includeFlagged) {
    this.includeFlagged = includeFlagged;
    this.poolSize = batch.entities().size();
    for (int i = 0; i < poolSize; i++) {
      index.put(batch.entities().get(i).id(), i);
    }
    this.appearances = new long[poolSize];
    this.pairs = poolSize <= MAX_PAIR_POOL ? new int[poolSize * (poolSize - 1) / 2] : null;
    for (DeclaredOutcome o : batch.request().outcomes()) {
      boolean number = o.type() == DeclaredOutcome.Type.INTEGER || o.type() == DeclaredOutcome.Type.NUMBER
          || o.type() == DeclaredOutcome.Type.BOOLEAN;
      if (number && o.per() == DeclaredOutcome.Per.SIMULATION) {
        numeric.add(o);
        distributions.put(o.name(), new TreeMap<>());
      }
    }
  }

  @Override
  public void accept(Simulation s) {
    int[] members = s.entityIds().stream().mapToInt(id -> index.getOrDefault(id, -1)).filter(i -> i >= 0).toArray();
    for (int a = 0; a < members.length; a++) {
      appearances[members[a]]++;
      if (pairs != null) {
        for (int b = a + 1; b < members.length; b++) {
          pairs[pairIndex(members[a], members[b])]++;
        }
      }
    }
    if (first < FIRST_TRANSCRIPTS) {
      first++;
      transcripts.put(s.sequenceNumber(), s);
    }
    for (QualityFlag flag : s.flags()) {
      List<Integer> examples = flagExamples.computeIfAbsent(flag, f -> new ArrayList<>());
      if (examples.size() < EXAMPLES_PER_FLAG) {
        examples.add(s.sequenceNumber());
        transcripts.put(s.sequenceNumber(), s);
      }
    }
    if (s.status() == SimulationStatus.COMPLETED && (includeFlagged || s.flags().isEmpty())) {
      for (DeclaredOutcome o : numeric) {
        count(o, s.outcomes().get(o.name()));
      }
    }
  }

  private void count(DeclaredOutcome o, @Nullable Object value) {
    TreeMap<Double, long[]> values = distributions.get(o.name());
    if (values == null) {
      return;
    }
    double x;
    if (value instanceof Boolean b) {
      x = b ? 1 : 0;
    } else if (value instanceof Number n) {
      x = n.doubleValue();
    } else {
      return;
    }
    values.computeIfAbsent(x, k -> new long[1])[0]++;
    if (values.size() > MAX_DISTINCT_VALUES) {
      distributions.put(o.name(), null);
    }
  }

  private int pairIndex(int a, int b) {
    int i = Math.min(a, b);
    int j = Math.max(a, b);
    // Row i of the upper triangle starts after the rows above it: i·n − i·(i+1)/2 cells.
    return i * poolSize - i * (i + 1) / 2 + (j - i - 1);
  }

  long[] appearances() {
    return appearances.clone();
  }

  /** Pair counts as a full matrix, or null when the pool is too large to have kept them. */
  long @Nullable [][] pairMatrix() {
    int[] p = pairs;
    if (p == null) {
      return null;
    }
    long[][] m = new long[poolSize][poolSize];
    for (int i = 0; i < poolSize; i++) {
      for (int j = i + 1; j < poolSize; j++) {
        m[i][j] = p[pairIndex(i, j)];
        m[j][i] = m[i][j];
      }
    }
    return m;
  }

  /** Every pair's count, or null when the pool is too large to have kept them. */
  int @Nullable [] pairCounts() {
    return pairs == null ? null : pairs.clone();
  }

  /** The outcome's values with their counts, ascending; null when it had too many distinct values. */
  @Nullable Map<Double, Long> distribution(String outcome) {
    TreeMap<Double, long[]> values = distributions.get(outcome);
    if (values == null) {
      return null;
    }
    Map<Double, Long> out = new LinkedHashMap<>();
    values.forEach((v, c) -> out.put(v, c[0]));
    return out;
  }

  /** The sampled transcripts in sequence order. */
  List<Simulation> transcripts() {
    return List.copyOf(transcripts.values());
  }

  /** The sequence numbers of each flag's examples. */
  Map<QualityFlag, List<Integer>> flagExamples() {
    return flagExamples;
  }
}
