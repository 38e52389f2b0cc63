package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.ValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A model's own in-flight limit: the registry file's {@code max_in_flight} and the builder's. */
class ModelRegistryFileInFlightTest {

  @Test
  void anEntryWithMaxInFlightLimitsThatModelAndOneWithoutHasNoLimitOfItsOwn() {
    ModelRegistry registry = ModelRegistryFile.read("""
        {"models": {
          "slow": {"base_url": "http://127.0.0.1:9/v1", "model": "m1", "max_in_flight": 4},
          "fast": {"base_url": "http://127.0.0.1:9/v1", "model": "m2", "rpm": 60}}}
        """, Map.of());

    ModelRegistry.Entry slow = registry.find("slow").orElseThrow();
    ModelRegistry.Entry fast = registry.find("fast").orElseThrow();
    assertThat(slow.maxInFlight()).isEqualTo(4);
    assertThat(slow.limitsInFlight()).isTrue();
    assertThat(fast.maxInFlight()).isEqualTo(ModelRegistry.NO_IN_FLIGHT_LIMIT);
    assertThat(fast.limitsInFlight()).isFalse();
    assertThat(fast.rateLimit().requestsPerMinute()).hasValue(60);
  }

  @ParameterizedTest(name = "max_in_flight: {0}")
  @ValueSource(strings = {"0", "-2", "1.5", "\"4\"", "true", "99999999999"})
  void aMaxInFlightThatIsNotAWholeNumberOfAtLeastOneIsRefusedNamingTheField(String value) {
    String json = "{\"models\": {\"slow\": {\"base_url\": \"http://127.0.0.1:9/v1\", \"model\": \"m\","
        + " \"max_in_flight\": " + value + "}}}";

    assertThatThrownBy(() -> ModelRegistryFile.read(json, Map.of()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("models.slow.max_in_flight")
        .hasMessageContaining("at least 1");
  }

  @Test
  void theBuilderSetsALimitOnAModelItHasAndRefusesOneItLacksOrALimitBelowOne() {
    OpenAiChatModel llm = OpenAiChatModel.builder().baseUrl("http://127.0.0.1:9/v1").model("m").build();
    ModelRegistry.Builder builder = ModelRegistry.builder().model("a", llm);

    assertThatThrownBy(() -> builder.maxInFlight("b", 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'b'").hasMessageContaining("not added");
    assertThatThrownBy(() -> builder.maxInFlight("a", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInFlight of model 'a'")
        .hasMessageContaining("was 0");
    assertThat(builder.maxInFlight("a", 2).build().find("a").orElseThrow().maxInFlight()).isEqualTo(2);
    assertThatThrownBy(() -> new ModelRegistry.Entry("a", llm, dev.cohort.core.port.RateLimit.NONE, null, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInFlight of model 'a'");
  }
}
