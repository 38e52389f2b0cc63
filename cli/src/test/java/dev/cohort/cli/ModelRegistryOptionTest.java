package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.ModelAssignment;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.port.RateLimit;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --model-registry FILE} and {@code $COHORT_MODELS} read named models, keys from the
 * variables the file names; {@code --models}, {@code --model-assignment} and {@code
 * --participant-models} set a request's model fields.
 */
class ModelRegistryOptionTest {
  private static final String SECRET = "sk-secret-0000111122223333";

  @TempDir
  Path dir;

  private static ModelOptions parse(String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    return holder.options;
  }

  private Path registry(String json) throws IOException {
    return Files.writeString(dir.resolve("models.json"), json);
  }

  @Test
  void withoutFileOrVariableThereIsNoRegistry() {
    assertThat(parse().registry(Map.of())).isNull();
  }

  @Test
  void theFileNamesModelsWithTheirLimitsAndKeysFromTheirVariables() throws IOException {
    Path file = registry("""
        {"models": {
          "mini": {"base_url": "http://127.0.0.1:9/v1", "model": "gpt-4o-mini", "api_key_env": "MINI_KEY",
                   "rpm": 500, "tpm": 200000},
          "llama": {"base_url": "http://127.0.0.1:9/v1", "model": "llama3.1",
                    "price": {"input_per_million": 0, "cached_input_per_million": 0, "output_per_million": 0}},
          "azure": {"azure_endpoint": "https://example.openai.azure.com", "azure_deployment": "gpt-4o-mini",
                    "api_key_env": "AZURE_KEY"}}}
        """);

    ModelRegistry registry = parse("--model-registry", file.toString())
        .registry(Map.of("MINI_KEY", SECRET, "AZURE_KEY", SECRET));

    assertThat(registry).isNotNull();
    assertThat(registry.names()).containsExactly("mini", "llama", "azure");
    assertThat(registry.find("mini").orElseThrow().rateLimit()).isEqualTo(RateLimit.of(500, 200_000));
    assertThat(registry.find("llama").orElseThrow().rateLimit()).isEqualTo(RateLimit.NONE);
    assertThat(registry.find("llama").orElseThrow().price()).isNotNull();
    assertThat(registry.find("mini").orElseThrow().llm().modelName()).contains("gpt-4o-mini");
    assertThat(registry.toString()).contains("mini").contains("azure").doesNotContain(SECRET);
  }

  @Test
  void theVariableNamesTheFileWhenTheFlagIsAbsent() throws IOException {
    Path file = registry("{\"models\": {\"local\": {\"base_url\": \"http://127.0.0.1:9/v1\", \"model\": \"m\"}}}");

    ModelRegistry registry = parse().registry(Map.of("COHORT_MODELS", file.toString()));

    assertThat(registry).isNotNull();
    assertThat(registry.names()).containsExactly("local");
  }

  @Test
  void aKeyVariableThatIsNotSetOrAnUnknownFieldIsReportedNamingTheEntry() throws IOException {
    Path file = registry("""
        {"models": {"mini": {"model": "gpt-4o-mini", "api_key_env": "NOT_SET_HERE"},
                    "odd": {"base_url": "http://127.0.0.1:9/v1", "model": "m", "api_key": "sk-in-the-file"}}}
        """);

    assertThatThrownBy(() -> parse("--model-registry", file.toString()).registry(Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--model-registry")
        .hasMessageContaining("models.mini.api_key_env")
        .hasMessageContaining("NOT_SET_HERE")
        .hasMessageContaining("models.odd.api_key")
        .hasMessageNotContaining("sk-in-the-file");
  }

  @Test
  void aMissingFileIsReportedNamingTheVariable() {
    assertThatThrownBy(() -> parse().registry(Map.of("COHORT_MODELS", dir.resolve("none.json").toString())))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("$COHORT_MODELS")
        .hasMessageContaining("no such file");
  }

  @Test
  void theStartUpNoticeNamesEveryModelAndWarnsAboutOneThatCannotBeReached() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (ServerSocket open = new ServerSocket(0)) {
      Path file = registry("{\"models\": {"
          + "\"up\": {\"base_url\": \"http://127.0.0.1:" + open.getLocalPort() + "/v1\", \"model\": \"m\"},"
          + "\"down\": {\"base_url\": \"http://127.0.0.1:" + closedPort + "/v1\", \"model\": \"m\"}}}");
      ModelRegistry registry = parse("--model-registry", file.toString()).registry(Map.of());

      String notice = ModelOptions.registryNotice(registry);

      assertThat(notice).startsWith("Models: up (").contains(", down (");
      assertThat(notice).contains("Warning: model down is unreachable").doesNotContain("model up is unreachable");
    }
  }

  @Test
  void modelFlagsSetTheRequestsModelFields() {
    FactorHolder holder = new FactorHolder();
    new CommandLine(holder).parseArgs("--models", "mini,llama", "--model-assignment", "balanced",
        "--participant-models", "e1=llama,e2=mini");
    BatchRequest.Builder builder = BatchRequest.builder().name("N").context("C").entityIds("e1", "e2")
        .interactionSize(2).numSimulations(1).mode(SimulationMode.ROLEPLAY);

    holder.options.applyTo(builder);
    BatchRequest request = builder.build();

    assertThat(request.models()).containsExactly("mini", "llama");
    assertThat(request.modelAssignment()).isEqualTo(ModelAssignment.BALANCED);
    assertThat(request.participantModels()).containsExactly(Map.entry("e1", "llama"), Map.entry("e2", "mini"));
  }

  @Test
  void aBadAssignmentOrPairIsReportedNamingTheFlag() {
    FactorHolder assignment = new FactorHolder();
    new CommandLine(assignment).parseArgs("--model-assignment", "mixed");
    assertThatThrownBy(() -> assignment.options.applyTo(BatchRequest.builder()))
        .isInstanceOf(UsageException.class).hasMessageContaining("--model-assignment");
    FactorHolder pair = new FactorHolder();
    new CommandLine(pair).parseArgs("--participant-models", "e1");
    assertThatThrownBy(() -> pair.options.applyTo(BatchRequest.builder()))
        .isInstanceOf(UsageException.class).hasMessageContaining("--participant-models");
  }

  static final class Holder {
    @CommandLine.Mixin
    ModelOptions options = new ModelOptions();
  }

  static final class FactorHolder {
    @CommandLine.Mixin
    ModelFactorOptions options = new ModelFactorOptions();
  }
}
