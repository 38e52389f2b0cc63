package dev.cohort.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTextTest {
  @Test
  void timestampsAlwaysHaveExactlyMilliseconds() {
    assertThat(JsonText.instant(Instant.parse("2026-11-30T08:07:36.705128Z"))).isEqualTo("2026-11-30T08:07:36.705Z");
    assertThat(JsonText.instant(Instant.parse("2026-11-30T08:07:36.971Z"))).isEqualTo("2026-11-30T08:07:36.971Z");
    assertThat(JsonText.instant(Instant.parse("2026-11-30T08:07:36Z"))).isEqualTo("2026-11-30T08:07:36.000Z");
    assertThat(JsonText.write(gen -> {
      gen.writeStartObject();
      JsonText.writeInstant(gen, "at", Instant.parse("2026-11-30T08:07:36.1Z"));
      gen.writeEndObject();
    })).isEqualTo("{\"at\":\"2026-11-30T08:07:36.100Z\"}");
  }

  @Test
  void stringsAndTurnsReadBackEqual() {
    List<String> ids = List.of("a", "b 🧮", "");
    List<Turn> turns = List.of(new Turn(1, 1, "a", "Ada", null, "Hello"), new Turn(1, 2, "b", "Bo", "hm", ""));
    List<Turn> read = new ArrayList<>();

    TurnJson.readStored(TurnJson.write(turns), read);

    assertThat(JsonText.strings(JsonText.strings(ids))).isEqualTo(ids);
    assertThat(read).isEqualTo(turns);
  }
}
