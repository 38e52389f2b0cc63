package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminalWidthTest {
  @Test
  void columnsWinsWhenItIsAPositiveNumber() {
    assertThat(TerminalWidth.of(Map.of("COLUMNS", "132"), () -> Optional.of(100))).isEqualTo(132);
  }

  @Test
  void theTerminalIsAskedWhenColumnsIsMissingOrNotANumber() {
    assertThat(TerminalWidth.of(Map.of(), () -> Optional.of(100))).isEqualTo(100);
    assertThat(TerminalWidth.of(Map.of("COLUMNS", "wide"), () -> Optional.of(61))).isEqualTo(61);
    assertThat(TerminalWidth.of(Map.of("COLUMNS", "0"), () -> Optional.of(61))).isEqualTo(61);
  }

  @Test
  void withNeitherTheWidthIs80() {
    assertThat(TerminalWidth.of(Map.of(), Optional::empty)).isEqualTo(TerminalWidth.DEFAULT);
    assertThat(TerminalWidth.DEFAULT).isEqualTo(80);
  }

  @Test
  void sttySizeOutputIsRowsThenColumns() {
    assertThat(TerminalWidth.parseSttySize("50 132\n")).contains(132);
    assertThat(TerminalWidth.parseSttySize("0 0\n")).isEmpty();
    assertThat(TerminalWidth.parseSttySize("stty: 'standard input': Inappropriate ioctl for device")).isEmpty();
  }
}
