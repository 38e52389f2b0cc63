package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated model answers a structured-output request that is not a dialogue round with a fitting value. */
class SimulatedLlmSchemaAnswerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, Object> SCHEMA = Map.of(
      "type", "object", "additionalProperties", false, "required", List.of("agreed", "tone", "stance", "note"),
      "properties", Map.of(
          "agreed", Map.of("type", "boolean"),
          "tone", Map.of("type", "integer", "minimum", 2L, "maximum", 4L),
          "stance", Map.of("type", "object", "additionalProperties", false, "required", List.of("Ada", "Bob"),
              "properties", Map.of(
                  "Ada", Map.of("type", "string", "enum", List.of("for", "against")),
                  "Bob", Map.of("type", "string", "enum", List.of("for", "against")))),
          "note", Map.of("type", "string")));

  private static ChatRequest extraction(long seed) {
    return ChatRequest.builder()
        .messages(List.of(ChatMessage.system("Answer questions about the transcript."),
            ChatMessage.user("Participants:\n- Ada\n- Bob\n\nTranscript:\nAda: \"Tea?\"")))
        .seed(seed).jsonSchema(SCHEMA).build();
  }

  @Test
  void everyPropertyGetsAValueOfItsTypeWithinItsBoundsAndTheSameRequestTheSameAnswer() throws Exception {
    SimulatedLlm llm = SimulatedLlm.create();
    for (long seed = 0; seed < 20; seed++) {
      String text = llm.chat(extraction(seed)).text();
      JsonNode answer = MAPPER.readTree(text);

      assertThat(answer.get("agreed").isBoolean()).isTrue();
      assertThat(answer.get("tone").isIntegralNumber()).isTrue();
      assertThat(answer.get("tone").asInt()).isBetween(2, 4);
      assertThat(answer.get("stance").get("Ada").asText()).isIn("for", "against");
      assertThat(answer.get("stance").get("Bob").asText()).isIn("for", "against");
      assertThat(answer.get("note").asText()).isEqualTo("simulated answer");
      assertThat(llm.chat(extraction(seed)).text()).isEqualTo(text);
    }
  }
}
