package dev.cohort.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BinomialsTest {

  @Test
  void entriesAreExactAndSaturateBeyondALong() {
    Binomials b = Binomials.upTo(100, 50);
    for (int x = 0; x <= 100; x += 7) {
      for (int j = 0; j <= 50; j += 3) {
        java.math.BigInteger exact = j > x ? java.math.BigInteger.ZERO : CombinationSampler.count(x, j);
        long expected = exact.bitLength() < 64 ? exact.longValue() : Long.MAX_VALUE;
        assertThat(b.get(x, j)).as("C(%d,%d)", x, j).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"6,3", "9,2", "8,4", "7,1", "10,5"})
  void lexUnrankInvertsLexicographicOrderAndColexRankIsABijection(int n, int k) {
    List<int[]> lex = new ArrayList<>();
    CombinationSampler.plan(n, k, Integer.MAX_VALUE, 0).forEach(lex::add);
    Binomials b = Binomials.upTo(n, k);
    boolean[] ranks = new boolean[lex.size()];
    for (int r = 0; r < lex.size(); r++) {
      assertThat(b.lexUnrank(n, k, r)).as("rank %d", r).isEqualTo(lex.get(r));
      int colex = (int) b.colexRank(lex.get(r));
      assertThat(ranks[colex]).as("colex rank of %s taken twice", Arrays.toString(lex.get(r))).isFalse();
      ranks[colex] = true;
    }
  }
}
