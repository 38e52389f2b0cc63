package dev.cohort.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridPointTest {

  @Test
  void defaultGridIsTheFivePointsOfTheIssue() {
    assertThat(GridPoint.parseAll(List.of())).containsExactly(
        new GridPoint(10, 2, 45), new GridPoint(100, 5, 10_000), new GridPoint(1_000, 3, 100_000),
        new GridPoint(10_000, 5, 100_000), new GridPoint(200, 10, 1_000_000));
  }

  @Test
  void slashesSeparateTooSoOnePointFitsAJmhParameter() {
    assertThat(GridPoint.parse("10000/5/100000")).isEqualTo(GridPoint.parse("10000,5,100000"))
        .isEqualTo(new GridPoint(10_000, 5, 100_000));
  }

  @Test
  void parseRejectsMalformedPointsNamingTheText() {
    assertThatThrownBy(() -> GridPoint.parse("10,2"))
        .hasMessage("grid point must be n,k,N (e.g. 10000,5,100000), was '10,2'");
    assertThatThrownBy(() -> GridPoint.parse("10,x,3"))
        .hasMessage("grid point must be three integers n,k,N, was '10,x,3'");
    assertThatThrownBy(() -> GridPoint.parse("3,5,1")).hasMessage("need 1 <= k <= n, got n=3, k=5");
  }

  @Test
  void samplerTimingPrintsCountAndPlannedSizeOfEachPoint() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SamplerTiming.run(List.of(new GridPoint(10, 2, 45), new GridPoint(30, 3, 100)),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("n\tk\tN\tC(n,k)\tplanned\tmillis");
    assertThat(lines.get(1)).startsWith("10\t2\t45\t45\t45\t");
    assertThat(lines.get(2)).startsWith("30\t3\t100\t4060\t100\t");
  }
}
