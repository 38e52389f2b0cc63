package dev.cohort.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqliteTimestampsTest {
  private static final DateTimeFormatter GENERAL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void readsAndWritesWhatTheGeneralFormatterAndParserDoOverManyInstants() {
    SplittableRandom random = new SplittableRandom(17);
    long from = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(from, to + 1), random.nextInt(1_000_000_000));
      String general = GENERAL.format(instant.truncatedTo(ChronoUnit.MILLIS));
      assertThat(SqliteTimestamps.format(instant)).as("format of %s", instant).isEqualTo(general);
      assertThat(SqliteTimestamps.parse(general)).as("parse of %s", general)
          .isEqualTo(Instant.parse(general).truncatedTo(ChronoUnit.MILLIS));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-12-01T07:39:17.123456Z", "2024-02-29T23:59:59.999999Z", "1970-01-01T00:00:00.000000Z",
      // Not the stored shape: the general parser reads them.
      "2026-12-01T07:39:17Z", "2026-12-01T07:39:17.5Z", "2026-12-01T07:39:17.123456789Z", "+12026-12-01T07:39:17.123Z",
      // What the general parser reads specially: the end of a day and a leap second.
      "2026-12-01T24:00:00.000000Z", "2016-12-31T23:59:60.000000Z"})
  void readsEveryTextAsInstantParseTruncatedToMilliseconds(String text) {
    assertThat(SqliteTimestamps.parse(text)).isEqualTo(Instant.parse(text).truncatedTo(ChronoUnit.MILLIS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-30T00:00:00.000000Z", "2026-12-01T25:00:00.000000Z", "2026-12-01T07:39:1x.000000Z",
      "2026-13-01T07:39:17.000000Z"})
  void refusesWhatInstantParseRefuses(String text) {
    assertThatThrownBy(() -> SqliteTimestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
  }

  @Test
  void writesYearsBeyondFourDigitsTheGeneralWay() {
    Instant far = Instant.parse("+12026-12-01T07:39:17.123Z");
    assertThat(SqliteTimestamps.format(far)).isEqualTo(GENERAL.format(far));
  }
}
