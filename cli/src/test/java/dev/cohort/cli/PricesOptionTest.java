package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.spend.ModelPrice;
import dev.cohort.core.spend.PriceTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --prices FILE} and {@code $COHORT_PRICES} lay a price file over the built-in prices, and a
 * file that cannot be used is reported naming the flag or variable and the file.
 */
class PricesOptionTest {
  private static final String FILE = """
      {"models": {"my-local-model": {"input_per_million": 1.0, "output_per_million": 2.0},
                  "gpt-4o-mini": {"input_per_million": 9.0, "cached_input_per_million": 4.5, "output_per_million": 18.0}}}
      """;

  @TempDir
  Path dir;

  private static ModelOptions parse(String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    return holder.options;
  }

  @Test
  void withoutFileOrVariableTheBuiltInPricesApply() {
    assertThat(parse().prices(Map.of())).isEqualTo(PriceTable.builtIn());
  }

  @Test
  void pricesFileOverridesAndExtendsTheBuiltInTable() throws IOException {
    Path file = Files.writeString(dir.resolve("prices.json"), FILE);

    PriceTable table = parse("--prices", file.toString()).prices(Map.of());

    assertThat(table.find("my-local-model")).contains(ModelPrice.of(1.0, 1.0, 2.0));
    assertThat(table.find("gpt-4o-mini-2024-07-18")).contains(ModelPrice.of(9.0, 4.5, 18.0));
    assertThat(table.find("gpt-4.1")).isEqualTo(PriceTable.builtIn().find("gpt-4.1"));
  }

  @Test
  void theVariableNamesTheFileWhenTheFlagIsAbsentAndTheFlagWins() throws IOException {
    Path fromVariable = Files.writeString(dir.resolve("env.json"), FILE);
    Path fromFlag = Files.writeString(dir.resolve("flag.json"),
        "{\"models\": {\"other\": {\"input_per_million\": 3, \"output_per_million\": 4}}}");

    assertThat(parse().prices(Map.of("COHORT_PRICES", fromVariable.toString())).find("my-local-model")).isPresent();
    PriceTable flagWins = parse("--prices", fromFlag.toString())
        .prices(Map.of("COHORT_PRICES", fromVariable.toString()));
    assertThat(flagWins.find("other")).isPresent();
    assertThat(flagWins.find("my-local-model")).isEmpty();
  }

  @Test
  void configureHandsThePricesToTheBuilder() throws IOException {
    Path file = Files.writeString(dir.resolve("prices.json"), FILE);
    dev.cohort.core.Cohort.Builder builder = dev.cohort.core.Cohort.builder()
        .repository(dev.cohort.inmemory.InMemoryRepository.create())
        .llm(dev.cohort.inmemory.SimulatedLlm.builder().build());

    parse("--prices", file.toString()).configure(builder, Map.of());

    try (dev.cohort.core.Cohort cohort = builder.build()) {
      assertThat(cohort.prices().find("my-local-model")).isPresent();
    }
  }

  @Test
  void aMissingFileIsReportedWithTheFlagAndTheFileName() {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> parse("--prices", missing.toString()).prices(Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--prices: ")
        .hasMessageContaining("'" + missing + "'")
        .hasMessageContaining("no such file");
  }

  @Test
  void anInvalidFileIsReportedWithTheVariableTheFileAndTheBadField() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"),
        "{\"models\": {\"m\": {\"input_per_million\": -1, \"output_per_million\": 2}}}");

    assertThatThrownBy(() -> parse().prices(Map.of("COHORT_PRICES", bad.toString())))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("$COHORT_PRICES: ")
        .hasMessageContaining("'" + bad + "'")
        .hasMessageContaining("models.m.input_per_million");
  }

  @Test
  void aFileThatIsNotJsonIsReportedWithTheFileName() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), "models: cheap");

    assertThatThrownBy(() -> parse("--prices", bad.toString()).prices(Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'" + bad + "' is not valid");
  }

  /** A command that only carries the mixin, so the test parses its flags as picocli does. */
  @CommandLine.Command(name = "holder")
  static final class Holder {
    @CommandLine.Mixin
    ModelOptions options = new ModelOptions();
  }
}
