package dev.cohort.core.internal.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.Visibility;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.simulation.SimulationEngine.Completed;
import dev.cohort.core.internal.simulation.SimulationEngine.Failed;
import dev.cohort.core.internal.simulation.SimulationEngine.Outcome;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.TurnResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Role-play's privacy rules, proven on every prompt a recording model receives: a speaker sees
 * their own attributes and their own earlier thoughts; the others' descriptions unless visibility
 * is {@code names}; the others' attributes only with {@code full}; never another's thought.
 */
class RoleplayPrivacyTest {
  private static final List<Entity> PEOPLE = List.of(
      new Entity("e-ada", "Ada", "DESC-Ada: a mathematician", Map.of("secret", "SECRET-Ada")),
      new Entity("e-bob", "Bob", "DESC-Bob: a baker", Map.of("secret", "SECRET-Bob")),
      new Entity("e-cy", "Cy", "DESC-Cy: a cyclist", Map.of("secret", "SECRET-Cy")));
  private static final Map<String, Entity> ENTITIES = new LinkedHashMap<>();

  static {
    PEOPLE.forEach(p -> ENTITIES.put(p.id(), p));
  }

  /** Answers each call from its prompt and records every request. */
  private static final class RecordingModel implements LlmPort {
    final List<ChatRequest> requests = new ArrayList<>();
    final Function<ChatRequest, String> answer;

    RecordingModel(Function<ChatRequest, String> answer) {
      this.answer = answer;
    }

    @Override
    public synchronized ChatResponse chat(ChatRequest request) {
      requests.add(request);
      return ChatResponse.of(answer.apply(request), new TokenUsage(10, 5, 0));
    }
  }

  /** The speaker a role-play prompt is for: its last user message starts "You are Name.". */
  private static String speakerOf(ChatRequest request) {
    String own = request.messages().stream().filter(m -> m.role() == ChatMessage.Role.USER)
        .map(ChatMessage::content).filter(c -> c.startsWith("You are ")).reduce((a, b) -> b).orElseThrow();
    return own.substring("You are ".length(), own.indexOf('.'));
  }

  private static int turnOf(ChatRequest request) {
    String own = request.messages().get(2).content();
    int at = own.indexOf("Write turn ") + "Write turn ".length();
    return Integer.parseInt(own.substring(at, own.indexOf(' ', at)));
  }

  /** A private thought and a public text, each naming its speaker and turn. */
  private static String honestAnswer(ChatRequest request) {
    String speaker = speakerOf(request);
    int turn = turnOf(request);
    return "{\"thought\":\"THOUGHT-" + speaker + "-" + turn + "\",\"text\":\"SAID-" + speaker + "-" + turn + "\"}";
  }

  private static BatchRequest request(Visibility visibility, int turns, int rounds) {
    return BatchRequest.builder().name("n").context("A village meeting about the new bridge.")
        .entityIds("e-ada", "e-bob", "e-cy").interactionSize(3).numSimulations(1).nTurns(turns)
        .simulationRounds(rounds).seed(1L).mode(SimulationMode.ROLEPLAY).visibility(visibility).build();
  }

  private static Simulation simulation(List<Turn> turns, int finalTurn) {
    return new Simulation("s1", "b1", 1, List.of("e-ada", "e-bob", "e-cy"), List.of("e-bob", "e-cy", "e-ada"),
        SimulationStatus.RUNNING, turns, null, 1, TokenUsage.ZERO, null, finalTurn, Instant.EPOCH, null, null);
  }

  private static SimulationEngine engine(LlmPort model) {
    return new SimulationEngine(
        new ModelCaller(model, CallGate.OPEN, new RetryPolicy(3, () -> 0.5), d -> {}), 2, 100_000);
  }

  private static Outcome play(LlmPort model, BatchRequest request, Simulation simulation, List<TurnResult> sink)
      throws InterruptedException {
    return engine(model).play(simulation, request, SimulationEngine.systemMessage(request), 1L, ENTITIES,
        r -> {
          throw new AssertionError("role-play records turns, not rounds");
        },
        sink::add);
  }

  private static String prompt(ChatRequest request) {
    return request.messages().stream().map(ChatMessage::content).collect(Collectors.joining("\n"));
  }

  @ParameterizedTest
  @EnumSource(Visibility.class)
  void eachSpeakerSeesOwnAttributesAndThoughtsOthersOnlyAsVisibilityAllowsAndNeverOthersThoughts(
      Visibility visibility) throws Exception {
    RecordingModel model = new RecordingModel(RoleplayPrivacyTest::honestAnswer);
    List<TurnResult> recorded = new ArrayList<>();

    Outcome outcome = play(model, request(visibility, 2, 3), simulation(List.of(), 6), recorded);

    assertThat(outcome).isInstanceOf(Completed.class);
    assertThat(model.requests).hasSize(6);
    for (ChatRequest call : model.requests) {
      String speaker = speakerOf(call);
      int turn = turnOf(call);
      String prompt = prompt(call);
      for (Entity p : PEOPLE) {
        boolean self = p.name().equals(speaker);
        String secret = "SECRET-" + p.name();
        String description = "DESC-" + p.name();
        assertThat(prompt.contains(secret)).as("%s's attributes in %s's prompt (%s)", p.name(), speaker, visibility)
            .isEqualTo(self || visibility == Visibility.FULL);
        assertThat(prompt.contains(description)).as("%s's description in %s's prompt", p.name(), speaker)
            .isEqualTo(self || visibility != Visibility.NAMES);
        assertThat(prompt).contains("- " + p.name());
      }
      for (int earlier = 1; earlier < 7; earlier++) {
        String earlierSpeaker = PEOPLE.get(List.of(1, 2, 0).get((earlier - 1) % 3)).name();
        String thought = "THOUGHT-" + earlierSpeaker + "-" + earlier;
        boolean shown = earlier < turn && earlierSpeaker.equals(speaker);
        assertThat(prompt.contains(thought)).as("thought of turn %d in %s's prompt for turn %d", earlier, speaker, turn)
            .isEqualTo(shown);
        assertThat(prompt.contains("SAID-" + earlierSpeaker + "-" + earlier)).isEqualTo(earlier < turn);
      }
      assertThat(call.jsonSchema()).isEqualTo(SpeakerTurnFormat.SCHEMA);
    }
    // Speakers follow the stored speaking order (Bob, Cy, Ada), turn after turn, across rounds.
    assertThat(model.requests).extracting(RoleplayPrivacyTest::speakerOf)
        .containsExactly("Bob", "Cy", "Ada", "Bob", "Cy", "Ada");
    // Thoughts are kept on the turns, as in scripted mode: the transcript and exports show them.
    assertThat(((Completed) outcome).turns()).extracting(Turn::thought)
        .containsExactly("THOUGHT-Bob-1", "THOUGHT-Cy-2", "THOUGHT-Ada-3", "THOUGHT-Bob-4", "THOUGHT-Cy-5",
            "THOUGHT-Ada-6");
    assertThat(recorded).extracting(r -> r.turn().turnNumber()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(recorded).extracting(r -> r.turn().round()).containsExactly(1, 1, 2, 2, 3, 3);
  }

  @Test
  void theSharedPartOfEachPromptComesFirstAndRepeatsByteForByte() throws Exception {
    RecordingModel model = new RecordingModel(RoleplayPrivacyTest::honestAnswer);
    play(model, request(Visibility.DESCRIPTIONS, 2, 3), simulation(List.of(), 6), new ArrayList<>());

    String system = model.requests.get(0).messages().get(0).content();
    for (int i = 1; i < model.requests.size(); i++) {
      List<ChatMessage> before = model.requests.get(i - 1).messages();
      List<ChatMessage> now = model.requests.get(i).messages();
      assertThat(now.get(0).content()).isEqualTo(system);
      // The transcript only grows: the one before is where this one starts.
      if (i > 1) {
        assertThat(now.get(1).content()).startsWith(before.get(1).content());
      }
    }
  }

  @Test
  void resumeContinuesAtTheFirstTurnNotRecorded() throws Exception {
    RecordingModel model = new RecordingModel(RoleplayPrivacyTest::honestAnswer);
    List<Turn> stored = List.of(
        new Turn(1, 1, "e-bob", "Bob", "THOUGHT-Bob-1", "SAID-Bob-1"),
        new Turn(1, 2, "e-cy", "Cy", "THOUGHT-Cy-2", "SAID-Cy-2"),
        new Turn(2, 3, "e-ada", "Ada", "THOUGHT-Ada-3", "SAID-Ada-3"));
    List<TurnResult> recorded = new ArrayList<>();

    Outcome outcome = play(model, request(Visibility.NAMES, 2, 3), simulation(stored, 6), recorded);

    assertThat(outcome).isInstanceOf(Completed.class);
    assertThat(model.requests).extracting(RoleplayPrivacyTest::turnOf).containsExactly(4, 5, 6);
    assertThat(recorded).extracting(r -> r.turn().turnNumber()).containsExactly(4, 5, 6);
    assertThat(prompt(model.requests.get(0))).contains("SAID-Ada-3").contains("THOUGHT-Bob-1")
        .doesNotContain("THOUGHT-Cy-2").doesNotContain("THOUGHT-Ada-3");
  }

  @Test
  void aSpeakerTalkingAsSomeoneElseIsAskedAgainThenTheSimulationFails() throws Exception {
    RecordingModel model = new RecordingModel(r -> "{\"thought\":\"x\",\"text\":\"Ada: I speak for Ada here.\"}");

    Outcome outcome = play(model, request(Visibility.NAMES, 1, 1), simulation(List.of(), 1), new ArrayList<>());

    // Bob speaks first; his answer speaks as Ada. One call and two re-asks, each told why.
    assertThat(outcome).isInstanceOf(Failed.class);
    assertThat(((Failed) outcome).error()).startsWith("turn 1: ").contains("speaks as Ada, not as Bob");
    assertThat(model.requests).hasSize(3);
    assertThat(model.requests.get(1).messages().get(4).content()).contains("speaks as Ada, not as Bob");
    assertThat(((Failed) outcome).unrecordedUsage()).isEqualTo(new TokenUsage(30, 15, 0, 3));
  }

  @Test
  void fallsBackToTheScriptedFormsAndRefusesAVerbatimRepeat() throws Exception {
    List<String> answers = new ArrayList<>(List.of(
        "Bob: \"Good evening, everyone.\"",
        "```json\n{\"turns\":[{\"speaker\":\"Cy\",\"thought\":\"\",\"text\":\"Good evening, everyone.\"}]}\n```",
        "{\"turns\":[{\"speaker\":\"Cy\",\"thought\":\"hm\",\"text\":\"Evening, Bob.\"}]}"));
    RecordingModel model = new RecordingModel(r -> answers.remove(0));
    List<TurnResult> recorded = new ArrayList<>();

    Outcome outcome = play(model, request(Visibility.NAMES, 2, 1), simulation(List.of(), 2), recorded);

    assertThat(outcome).isInstanceOf(Completed.class);
    assertThat(recorded).extracting(r -> r.turn().text()).containsExactly("Good evening, everyone.", "Evening, Bob.");
    assertThat(recorded.get(1).usage()).isEqualTo(new TokenUsage(20, 10, 0, 2));
    assertThat(model.requests.get(2).messages().get(4).content()).contains("repeats turn 1 verbatim");
  }
}
