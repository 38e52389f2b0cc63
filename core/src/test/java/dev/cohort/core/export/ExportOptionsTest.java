package dev.cohort.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExportOptionsTest {

  @Test
  void defaultsNeutraliseFormulasWithoutByteOrderMarkOrIndentation() {
    ExportOptions defaults = ExportOptions.defaults();
    assertThat(defaults.neutraliseFormulas()).isTrue();
    assertThat(defaults.byteOrderMark()).isFalse();
    assertThat(defaults.prettyPrint()).isFalse();
    assertThat(ExportOptions.builder().build()).isEqualTo(defaults);
  }

  @Test
  void builderSetsEachOptionAndToBuilderKeepsThem() {
    ExportOptions options = ExportOptions.builder().neutraliseFormulas(false).byteOrderMark(true).prettyPrint(true).build();
    assertThat(options.neutraliseFormulas()).isFalse();
    assertThat(options.byteOrderMark()).isTrue();
    assertThat(options.prettyPrint()).isTrue();
    assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
    assertThat(options.toBuilder().prettyPrint(false).build()).isNotEqualTo(options);
    assertThat(options).hasToString("ExportOptions[neutraliseFormulas=false, byteOrderMark=true, prettyPrint=true]");
  }
}
