package dev.cohort.core.internal.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.LlmPort;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeExtractorTest {
  private static final Entity ADA = new Entity("e-ada", "Ada", "A mathematician", Map.of("age", 36));
  private static final Entity BOB = Entity.of("e-bob", "Bob", null);
  private static final List<Turn> TURNS = List.of(
      new Turn(1, 1, ADA.id(), "Ada", null, "Tea is best with milk."),
      new Turn(1, 2, BOB.id(), "Bob", null, "I agree, milk it is."));
  private static final List<DeclaredOutcome> OUTCOMES = List.of(
      DeclaredOutcome.bool("agreed", "Did they agree?"),
      DeclaredOutcome.integer("tone", "How warm was the tone, 1 to 5?", 1, 5),
      DeclaredOutcome.entity("leader", "Who led the conversation?"),
      DeclaredOutcome.oneOf("stance", "What is each participant's final stance?", "milk", "no milk").perParticipant());

  /** A model that answers from a script and records what it was asked. */
  private static final class ScriptedModel implements LlmPort {
    final Deque<Object> answers = new ArrayDeque<>();
    final List<ChatRequest> requests = new ArrayList<>();

    ScriptedModel(Object... answers) {
      this.answers.addAll(List.of(answers));
    }

    @Override
    public synchronized ChatResponse chat(ChatRequest request) {
      requests.add(request);
      Object next = answers.removeFirst();
      if (next instanceof RuntimeException e) {
        throw e;
      }
      return new ChatResponse((String) next, new TokenUsage(100, 20, 0), "stop", "extractor-1", null, null);
    }
  }

  private static BatchRequest request() {
    return BatchRequest.builder().name("n").context("Talk about tea").entityIds(ADA.id(), BOB.id())
        .interactionSize(2).numSimulations(1).seed(1L).outcomes(OUTCOMES).outcomeModel("small-model").build();
  }

  private static ExtractedOutcomes extract(ScriptedModel model) throws InterruptedException {
    OutcomeExtractor extractor = new OutcomeExtractor(
        new ModelCaller(model, CallGate.OPEN, new RetryPolicy(1, () -> 0.5), d -> { }), 2);
    return extractor.extract(request(), OUTCOMES, List.of(ADA, BOB), TURNS, 7L);
  }

  private static final String VALID =
      "{\"agreed\":true,\"tone\":4,\"leader\":\"ada\",\"stance\":{\"Ada\":\"milk\",\"Bob\":\"Milk\"}}";

  @Test
  void oneCallAsksForEveryOutcomeWithAStrictSchemaAndMapsNamesToEntityIds() throws Exception {
    ScriptedModel model = new ScriptedModel(VALID);

    ExtractedOutcomes result = extract(model);

    assertThat(result.error()).isNull();
    assertThat(result.values()).containsExactly(
        Map.entry("agreed", true), Map.entry("tone", 4), Map.entry("leader", ADA.id()),
        Map.entry("stance", Map.of(ADA.id(), "milk", BOB.id(), "milk")));
    assertThat(model.requests).hasSize(1);
    ChatRequest sent = model.requests.get(0);
    assertThat(sent.model()).isEqualTo("small-model");
    assertThat(sent.temperature()).isEqualTo(0.0);
    Map<String, Object> schema = sent.jsonSchema();
    assertThat(schema).containsEntry("additionalProperties", false)
        .containsEntry("required", List.of("agreed", "tone", "leader", "stance"));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schema.get("properties");
    assertThat(properties.get("tone")).containsEntry("type", "integer").containsEntry("minimum", 1L)
        .containsEntry("maximum", 5L);
    assertThat(properties.get("leader")).containsEntry("enum", List.of("Ada", "Bob"));
    assertThat(properties.get("stance")).containsEntry("required", List.of("Ada", "Bob"));
    assertThat(sent.messages().get(0).content()).contains("\"tone\" (a whole number from 1 to 5)")
        .doesNotContain("Ada");
    assertThat(sent.messages().get(1).content()).contains("- Ada: A mathematician", "Tea is best with milk.")
        .doesNotContain("e-ada");
    assertThat(result.extraction().model()).isEqualTo("extractor-1");
    assertThat(result.extraction().prompt()).isEqualTo(sent.messages().get(0).content());
    assertThat(result.usage()).isEqualTo(new TokenUsage(100, 20, 0, 1));
  }

  @Test
  void anAnswerThatDoesNotFitIsAskedAgainWithItsProblemsAndEveryCallIsCounted() throws Exception {
    String outOfRange = "{\"agreed\":true,\"tone\":9,\"leader\":\"Carol\",\"stance\":{\"Ada\":\"milk\"}}";
    ScriptedModel model = new ScriptedModel(outOfRange, VALID);

    ExtractedOutcomes result = extract(model);

    assertThat(result.error()).isNull();
    assertThat(result.values()).containsEntry("tone", 4);
    assertThat(model.requests).hasSize(2);
    List<ChatMessage> reask = model.requests.get(1).messages();
    assertThat(reask).hasSize(4);
    assertThat(reask.get(2).content()).isEqualTo(outOfRange);
    assertThat(reask.get(3).content()).contains("\"tone\" must be from 1 to 5, was 9",
        "\"leader\" must name one participant (Ada, Bob)", "\"stance\" has no value for Bob");
    assertThat(result.usage()).isEqualTo(new TokenUsage(200, 40, 0, 2));
  }

  @Test
  void answersThatNeverFitFailTheExtractionAfterTheReasksWithNoValues() throws Exception {
    ScriptedModel model = new ScriptedModel("not json", "{\"agreed\":\"yes\"}", "```json\n[1]\n```");

    ExtractedOutcomes result = extract(model);

    assertThat(result.values()).isEmpty();
    assertThat(result.error()).startsWith("the model's answer could not be used after 3 attempts:")
        .contains("not an object");
    assertThat(model.requests).hasSize(3);
    assertThat(result.usage()).isEqualTo(new TokenUsage(300, 60, 0, 3));
  }

  @Test
  void aCallFatalErrorFailsTheExtractionKeepingWhatEarlierAnswersCost() throws Exception {
    ScriptedModel model = new ScriptedModel("{}", new CallFatalLlmException("context too long"));

    ExtractedOutcomes result = extract(model);

    assertThat(result.values()).isEmpty();
    assertThat(result.error()).isEqualTo("the extraction call failed: context too long");
    assertThat(result.usage()).isEqualTo(new TokenUsage(100, 20, 0, 1));
    assertThat(result.extraction().model()).isEqualTo("extractor-1");
  }

  @Test
  void onlyOutcomesWithoutAValueAreMissing() {
    assertThat(OutcomeExtractor.missing(request(), Map.of("agreed", false, "tone", 2)))
        .extracting(DeclaredOutcome::name).containsExactly("leader", "stance");
  }
}
