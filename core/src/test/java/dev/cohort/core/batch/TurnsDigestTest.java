package dev.cohort.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TurnsDigestTest {

  @Test
  void ofTurnsIsTheSha256OfEveryFieldLengthPrefixedInOrder() throws Exception {
    Turn first = turn(1, 1, "p1", "Ada", "Keep it short.", "Hello there.");
    Turn second = turn(1, 2, "p2", "Zoë", null, "Hi — 名前.");

    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String field : new String[] {"1", "1", "p1", "Ada", "Keep it short.", "Hello there.",
        "1", "2", "p2", "Zoë", null, "Hi — 名前."}) {
      if (field == null) {
        sha.update("-1:".getBytes(StandardCharsets.UTF_8));
      } else {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
        sha.update(bytes);
      }
    }

    assertThat(TurnsDigest.ofTurns(List.of(first, second))).isEqualTo(HexFormat.of().formatHex(sha.digest()));
  }

  @Test
  void eachCallStartsFromAFreshDigestEvenWhenManyRunAtOnce() {
    List<Turn> turns = List.of(turn(2, 3, "p1", "Ada", null, "Once more."));
    String expected = TurnsDigest.ofTurns(turns);

    List<String> digests = IntStream.range(0, 2_000).parallel().mapToObj(i -> TurnsDigest.ofTurns(turns)).toList();

    assertThat(digests).containsOnly(expected);
    assertThat(TurnsDigest.ofTurns(List.of())).isEqualTo(TurnsDigest.sha256(""));
  }

  private static Turn turn(int round, int number, String id, String name, String thought, String text) {
    return new Turn(round, number, id, name, thought, text);
  }
}
