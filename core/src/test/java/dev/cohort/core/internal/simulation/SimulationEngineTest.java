package dev.cohort.core.internal.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.simulation.SimulationEngine.Completed;
import dev.cohort.core.internal.simulation.SimulationEngine.Failed;
import dev.cohort.core.internal.simulation.SimulationEngine.LeaseLost;
import dev.cohort.core.internal.simulation.SimulationEngine.Outcome;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.core.spend.PriceTable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationEngineTest {
  private static final Entity ADA = new Entity("e-ada", "Ada", "A mathematician", Map.of("age", 36));
  private static final Entity BOB = Entity.of("e-bob", "Bob", null);
  private static final Map<String, Entity> ENTITIES = new LinkedHashMap<>(Map.of(ADA.id(), ADA, BOB.id(), BOB));

  /** A model that answers from a script and records what it was asked. */
  private static final class ScriptedModel implements LlmPort {
    final Deque<String> answers = new ArrayDeque<>();
    final List<ChatRequest> requests = new ArrayList<>();

    ScriptedModel(String... answers) {
      this.answers.addAll(List.of(answers));
    }

    @Override
    public synchronized ChatResponse chat(ChatRequest request) {
      requests.add(request);
      return ChatResponse.of(answers.removeFirst(), new TokenUsage(10, 5, 0));
    }
  }

  private static String json(String... speakerTexts) {
    StringBuilder out = new StringBuilder("{\"turns\":[");
    for (int i = 0; i < speakerTexts.length; i += 2) {
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"speaker\":\"").append(speakerTexts[i]).append("\",\"thought\":\"t\",\"text\":\"")
          .append(speakerTexts[i + 1]).append("\"}");
    }
    return out.append("]}").toString();
  }

  private static BatchRequest request(int turns, int rounds) {
    return BatchRequest.builder().name("n").context("Talk about tea").entityIds(ADA.id(), BOB.id())
        .interactionSize(2).numSimulations(1).nTurns(turns).simulationRounds(rounds).seed(1L).build();
  }

  private static Simulation simulation(List<Turn> turns) {
    return new Simulation("s1", "b1", 1, List.of(ADA.id(), BOB.id()), List.of(BOB.id(), ADA.id()),
        SimulationStatus.RUNNING, turns, null, 1, TokenUsage.ZERO, null, 4, Instant.EPOCH, null, null);
  }

  private static SimulationEngine engine(LlmPort model) {
    return new SimulationEngine(new ModelCaller(model, CallGate.OPEN, new RetryPolicy(3, () -> 0.5), d -> {}), 2, 100_000);
  }

  private static Outcome play(SimulationEngine engine, BatchRequest request, Simulation sim, List<RoundResult> sink)
      throws InterruptedException {
    return engine.play(sim, request, SimulationEngine.systemMessage(request), 1L, ENTITIES, r -> sink.add(r),
        t -> {
          throw new AssertionError("scripted mode records rounds, not turns");
        });
  }

  @Test
  void playsEveryRoundWithTheWholeTranscriptAndNumbersTurnsAcrossRounds() throws Exception {
    ScriptedModel model = new ScriptedModel(json("Bob", "One", "Ada", "Two"), json("Bob", "Three", "Ada", "Four"));
    List<RoundResult> rounds = new ArrayList<>();
    Outcome outcome = play(engine(model), request(2, 2), simulation(List.of()), rounds);

    assertThat(outcome).isInstanceOf(Completed.class);
    Completed done = (Completed) outcome;
    assertThat(done.turns()).extracting(Turn::turnNumber).containsExactly(1, 2, 3, 4);
    assertThat(done.turns()).extracting(Turn::round).containsExactly(1, 1, 2, 2);
    assertThat(done.turns()).extracting(Turn::speakerId).containsExactly("e-bob", "e-ada", "e-bob", "e-ada");
    assertThat(done.usage()).isEqualTo(new TokenUsage(20, 10, 0, 2));
    assertThat(rounds).extracting(RoundResult::round).containsExactly(1, 2);

    String second = model.requests.get(1).messages().get(1).content();
    assertThat(second).contains("Bob: *t*\n\"One\"", "Ada: *t*\n\"Two\"", "Write turns 3 to 4 (round 2 of 2)",
        "Speakers, one per turn, in order: [\"Bob\",\"Ada\"]", "- Ada: A mathematician | attributes: {\"age\":36}");
    assertThat(model.requests.get(0).jsonSchema()).containsKey("properties");
  }

  @Test
  void theSystemMessageIsSharedAndHoldsNoIds() throws Exception {
    ScriptedModel model = new ScriptedModel(json("Bob", "One", "Ada", "Two"));
    play(engine(model), request(2, 1), simulation(List.of()), new ArrayList<>());
    List<ChatMessage> messages = model.requests.get(0).messages();
    assertThat(messages.get(0).content()).isEqualTo(SimulationEngine.systemMessage(request(2, 1)))
        .endsWith("Context:\nTalk about tea").doesNotContain("e-ada");
    assertThat(messages.get(1).content()).doesNotContain("e-ada", "e-bob");
  }

  @Test
  void resumesAfterTheLastRecordedRound() throws Exception {
    ScriptedModel model = new ScriptedModel(json("Bob", "Three", "Ada", "Four"));
    List<Turn> earlier = List.of(new Turn(1, 1, "e-bob", "Bob", null, "One"), new Turn(1, 2, "e-ada", "Ada", null, "Two"));
    List<RoundResult> rounds = new ArrayList<>();
    Outcome outcome = play(engine(model), request(2, 2), simulation(earlier), rounds);
    assertThat(model.requests).hasSize(1);
    assertThat(rounds).extracting(RoundResult::round).containsExactly(2);
    assertThat(((Completed) outcome).turns()).hasSize(4);
  }

  @Test
  void unusableAnswersAreReaskedThenTheSimulationFailsWithTheReason() throws Exception {
    ScriptedModel model = new ScriptedModel(json("Bob", "One"), json("Zed", "One", "Ada", "Two"), "no json here");
    Outcome outcome = play(engine(model), request(2, 1), simulation(List.of()), new ArrayList<>());
    assertThat(outcome).isInstanceOf(Failed.class);
    assertThat(((Failed) outcome).error())
        .isEqualTo("round 1: the model's answer could not be used after 3 attempts: "
            + "it has no turns in the JSON turn format or as 'Name: text' lines");
    assertThat(model.requests).hasSize(3);
    List<ChatMessage> reask = model.requests.get(1).messages();
    assertThat(reask.get(reask.size() - 1).content()).contains("it has 1 turns but 2 were asked for");
  }

  @Test
  void aFailedRoundStillCountsTheTokensOfEveryRejectedAnswer() throws Exception {
    ScriptedModel model = new ScriptedModel(json("Bob", "One"), json("Zed", "One", "Ada", "Two"), "no json here");
    Failed failed = (Failed) play(engine(model), request(2, 1), simulation(List.of()), new ArrayList<>());

    assertThat(failed.usage()).as("three calls, each 10 + 5, all paid for").isEqualTo(new TokenUsage(30, 15, 0, 3));
    assertThat(failed.unrecordedUsage()).isEqualTo(new TokenUsage(30, 15, 0, 3));
  }

  @Test
  void aLaterRoundThatFailsCountsItsCallsBesideTheRecordedRounds() throws Exception {
    ScriptedModel answers = new ScriptedModel(json("Bob", "One", "Ada", "Two"), json("Bob", "Three"));
    LlmPort model = r -> {
      if (answers.answers.isEmpty()) {
        throw new CallFatalLlmException("HTTP 400: context too long");
      }
      return answers.chat(r);
    };
    List<RoundResult> rounds = new ArrayList<>();
    Failed failed = (Failed) play(engine(model), request(2, 2), simulation(List.of()), rounds);

    assertThat(failed.error()).startsWith("round 2: HTTP 400");
    assertThat(rounds).singleElement().extracting(RoundResult::usage).isEqualTo(new TokenUsage(10, 5, 0, 1));
    assertThat(failed.unrecordedUsage()).as("the rejected answer of round 2").isEqualTo(new TokenUsage(10, 5, 0, 1));
    assertThat(failed.usage()).isEqualTo(new TokenUsage(20, 10, 0, 2));
  }

  /** Answers with usage and the model name given per call, in order. */
  private static LlmPort answering(List<String> models, TokenUsage usage, String... answers) {
    Deque<String> texts = new ArrayDeque<>(List.of(answers));
    Deque<String> names = new ArrayDeque<>(models);
    return request -> new ChatResponse(texts.removeFirst(), usage, "stop", names.removeFirst(), null, null);
  }

  @Test
  void everyCallIsPricedByTheModelThatAnsweredRejectedAnswersAndCachedTokensIncluded() throws Exception {
    PriceTable prices = PriceTable.empty().with("priced", ModelPrice.of(1.0, 0.5, 2.0));
    TokenUsage perCall = new TokenUsage(1_000_000, 500_000, 400_000);
    // Round 1 needs a re-ask; the dated snapshot is priced as its family.
    LlmPort model = answering(List.of("priced", "priced-2025-01-01", "priced"), perCall,
        json("Bob", "One"), json("Bob", "One", "Ada", "Two"), json("Bob", "Three", "Ada", "Four"));
    List<RoundResult> rounds = new ArrayList<>();
    SimulationEngine engine = new SimulationEngine(
        new ModelCaller(model, CallGate.OPEN, new RetryPolicy(3, () -> 0.5), d -> {}), 2, 100_000, prices);

    Completed done = (Completed) play(engine, request(2, 2), simulation(List.of()), rounds);

    // Per call: 600k uncached at $1/M + 400k cached at $0.5/M + 500k output at $2/M = $1.80.
    assertThat(rounds).extracting(RoundResult::costUsd).containsExactly(3.6, 1.8);
    assertThat(done.costUsd()).isCloseTo(5.4, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(done.usage().calls()).isEqualTo(3);
  }

  @Test
  void oneCallOfAModelWithoutAPriceMakesTheCostUnknownNotZero() throws Exception {
    PriceTable prices = PriceTable.empty().with("priced", ModelPrice.of(1.0, 0.5, 2.0));
    LlmPort model = answering(List.of("priced", "mystery-model"), new TokenUsage(100, 50, 0),
        json("Bob", "One", "Ada", "Two"), json("Bob", "Three", "Ada", "Four"));
    List<RoundResult> rounds = new ArrayList<>();
    SimulationEngine engine = new SimulationEngine(
        new ModelCaller(model, CallGate.OPEN, new RetryPolicy(3, () -> 0.5), d -> {}), 2, 100_000, prices);

    Completed done = (Completed) play(engine, request(2, 2), simulation(List.of()), rounds);

    assertThat(rounds.get(0).costUsd()).isNotNull();
    assertThat(rounds.get(1).costUsd()).isNull();
    assertThat(done.costUsd()).isNull();
  }

  @Test
  void aFailedSimulationCarriesTheCostOfItsUnrecordedCalls() throws Exception {
    PriceTable prices = PriceTable.empty().with("priced", ModelPrice.of(1.0, 1.0, 1.0));
    LlmPort model = answering(List.of("priced", "priced", "priced"), new TokenUsage(1_000_000, 0, 0),
        json("Bob", "One"), json("Bob", "One"), json("Bob", "One"));
    SimulationEngine engine = new SimulationEngine(
        new ModelCaller(model, CallGate.OPEN, new RetryPolicy(3, () -> 0.5), d -> {}), 2, 100_000, prices);

    Failed failed = (Failed) play(engine, request(2, 1), simulation(List.of()), new ArrayList<>());

    assertThat(failed.unrecordedCostUsd()).isEqualTo(3.0);
    assertThat(failed.costUsd()).isEqualTo(3.0);
  }

  @Test
  void aReaskThatSucceedsIsKeptAndExtraTurnsAreDropped() throws Exception {
    ScriptedModel model = new ScriptedModel(json("Bob", "One", "Zed", "Two"),
        json("Bob", "One", "Ada", "Two", "Bob", "Three"));
    Outcome outcome = play(engine(model), request(2, 1), simulation(List.of()), new ArrayList<>());
    assertThat(((Completed) outcome).turns()).extracting(Turn::text).containsExactly("One", "Two");
    assertThat(((Completed) outcome).usage().promptTokens()).isEqualTo(20);
  }

  @Test
  void aRoundRepeatingEarlierTurnsVerbatimIsReasked() throws Exception {
    ScriptedModel model = new ScriptedModel(json("Bob", "One", "Ada", "Two"), json("Bob", "One", "Ada", "Two"),
        json("Bob", "Three", "Ada", "Four"));
    Outcome outcome = play(engine(model), request(2, 2), simulation(List.of()), new ArrayList<>());
    assertThat(((Completed) outcome).turns()).extracting(Turn::text).containsExactly("One", "Two", "Three", "Four");
    List<ChatMessage> reask = model.requests.get(2).messages();
    assertThat(reask.get(reask.size() - 1).content()).contains("turn 1 repeats an earlier turn verbatim");
  }

  @Test
  void speakersAreRecordedAsTheModelNamedThem() throws Exception {
    ScriptedModel model = new ScriptedModel(json("ada", "One", "Ada", "Two"));
    Outcome outcome = play(engine(model), request(2, 1), simulation(List.of()), new ArrayList<>());
    assertThat(((Completed) outcome).turns()).extracting(Turn::speakerName).containsExactly("Ada", "Ada");
  }

  @Test
  void aCallFatalErrorFailsTheSimulationAndABatchFatalErrorPropagates() throws Exception {
    LlmPort callFatal = r -> {
      throw new CallFatalLlmException("HTTP 400: context too long");
    };
    LlmPort batchFatal = r -> {
      throw new BatchFatalLlmException("HTTP 401: invalid key");
    };
    assertThat(catchOutcome(callFatal))
        .isEqualTo(new Failed("round 1: HTTP 400: context too long", TokenUsage.ZERO, TokenUsage.ZERO, 0.0, 0.0));
    assertThatThrownBy(() -> catchOutcome(batchFatal)).isInstanceOf(BatchFatalLlmException.class);
  }

  @Test
  void aLostLeaseStopsTheSimulation() throws Exception {
    ScriptedModel model = new ScriptedModel(json("Bob", "One", "Ada", "Two"), json("Bob", "Three", "Ada", "Four"));
    BatchRequest request = request(2, 2);
    Outcome outcome = engine(model).play(simulation(List.of()), request, SimulationEngine.systemMessage(request), 1L,
        ENTITIES, r -> false, t -> false);
    assertThat(outcome).isInstanceOf(LeaseLost.class);
    assertThat(model.requests).hasSize(1);
  }

  private static Outcome catchOutcome(LlmPort model) throws InterruptedException {
    return play(engine(model), request(2, 1), simulation(List.of()), new ArrayList<>());
  }


  @Test
  void normaliseKeepsNormalTextAndFoldsEveryWhitespaceRun() {
    String normal = "Reliability first, then frequency.";
    assertThat(SimulationEngine.normalise(normal)).isSameAs(normal);
    assertThat(SimulationEngine.normalise("  a b  ")).isEqualTo("a b");
    assertThat(SimulationEngine.normalise("a  b")).isEqualTo("a b");
    assertThat(SimulationEngine.normalise("a\tb\r\nc\u000Bd\fe")).isEqualTo("a b c d e");
    assertThat(SimulationEngine.normalise("a \n b")).isEqualTo("a b");
  }
}
