package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.call.CallScope;
import dev.cohort.core.internal.simulation.SimulationEngine.Completed;
import dev.cohort.core.internal.simulation.SimulationEngine.Failed;
import dev.cohort.core.internal.simulation.SimulationEngine.LeaseLost;
import dev.cohort.core.internal.simulation.SimulationEngine.Outcome;
import dev.cohort.core.internal.simulation.SimulationEngine.TurnSink;
import dev.cohort.core.internal.simulation.TurnParser.ParsedTurn;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.port.TurnResult;
import dev.cohort.core.spend.CostSum;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Plays a simulation in role-play mode: one model call per turn, made for its speaker (plus
 * bounded re-asks), each turn recorded as soon as it is done, continuing at the first turn not
 * recorded. Speakers follow the stored speaking order. A turn keeps the speaker's thought (so
 * {@code turns}, {@code content} and the exports look as in scripted mode), but no other speaker's
 * prompt ever shows it: the transcript in the prompts holds only what was said.
 */
final class RoleplayPlayer {
  private final PricedCalls calls;
  private final int maxReasks;
  private final RoleplayPrompt prompts;

  RoleplayPlayer(PricedCalls calls, int maxReasks, RoleplayPrompt prompts) {
    this.calls = calls;
    this.maxReasks = maxReasks;
    this.prompts = prompts;
  }

  /** Plays the turns of {@code simulation} that are not recorded yet; see {@link SimulationEngine#play}. */
  Outcome play(
      Simulation simulation, BatchRequest request, String system, long batchSeed, Map<String, Entity> entities,
      TurnSink sink, CallBudget budget) throws InterruptedException {
    List<Entity> order = new ArrayList<>();
    for (String id : simulation.speakingOrder()) {
      order.add(entities.get(id));
    }
    List<Turn> turns = new ArrayList<>(simulation.turns());
    TokenUsage usage = simulation.usage();
    @Nullable Double cost = simulation.costUsd();
    int done = turns.stream().mapToInt(Turn::turnNumber).max().orElse(0);
    for (int number = done + 1; number <= request.finalTurnNumber(); number++) {
      int round = (number - 1) / request.nTurns() + 1;
      Entity speaker = order.get((number - 1) % order.size());
      List<ChatMessage> messages = prompts.turnMessages(
          system, order, turns, speaker, number, round, request.simulationRounds(), request.visibility());
      TurnAttempt attempt = new TurnAttempt();
      try {
        playTurn(attempt, simulation, request, batchSeed, number, round, messages, order, speaker, turns, budget);
      } catch (CallFatalLlmException | RetryableLlmException e) {
        return new Failed("turn " + number + ": " + e.getMessage(), usage.plus(attempt.usage), attempt.usage,
            CostSum.plus(cost, attempt.cost), attempt.cost);
      }
      Turn turn = attempt.turn;
      if (turn == null) {
        return new Failed("turn " + number + ": " + attempt.problem, usage.plus(attempt.usage), attempt.usage,
            CostSum.plus(cost, attempt.cost), attempt.cost);
      }
      if (!sink.record(new TurnResult(turn, attempt.usage, attempt.model, attempt.cost))) {
        return new LeaseLost();
      }
      turns.add(turn);
      usage = usage.plus(attempt.usage);
      cost = CostSum.plus(cost, attempt.cost);
    }
    return new Completed(turns, usage, cost);
  }

  private static final class TurnAttempt {
    @Nullable Turn turn;
    TokenUsage usage = TokenUsage.ZERO;
    /** Starts known at 0; unknown from the first call whose model has no price. */
    @Nullable Double cost = 0.0;
    @Nullable String model;
    @Nullable String problem;
  }

  /**
   * Asks for one turn until an answer is usable or the re-asks run out, adding every answer's
   * usage to {@code attempt} as it comes.
   */
  private void playTurn(
      TurnAttempt attempt, Simulation simulation, BatchRequest request, long batchSeed, int number, int round,
      List<ChatMessage> messages, List<Entity> participants, Entity speaker, List<Turn> earlier, CallBudget budget)
      throws InterruptedException {
    List<String> names = participants.stream().map(Entity::name).collect(Collectors.toList());
    List<ChatMessage> conversation = messages;
    // A participant with a model of its own (participant_models) speaks through it.
    @Nullable String speakerModel = request.modelFactor().speakerModel(simulation.plannedModel(), speaker.id());
    for (int ask = 0; ask <= maxReasks; ask++) {
      ChatRequest chat = ChatRequest.builder()
          .messages(conversation)
          .model(SimulationEngine.requestModel(request, speakerModel))
          .temperature(request.llm().temperature())
          .maxTokens(request.llm().maxTokens())
          .seed(SimulationEngine.callSeed(batchSeed, request.modelFactor().groupSequence(simulation.sequenceNumber()),
              number, ask))
          .jsonSchema(SpeakerTurnFormat.SCHEMA)
          .build();
      PricedCalls.Answer answer = calls.call(chat, budget,
          new CallScope(simulation.batchId(), simulation.sequenceNumber(), round, speakerModel));
      ChatResponse response = answer.response();
      attempt.usage = attempt.usage.plus(answer.usage());
      attempt.cost = CostSum.plus(attempt.cost, answer.costUsd());
      if (response.model() != null) {
        attempt.model = response.model();
      }
      ParsedTurn parsed = TurnParser.parseOne(response.text(), speaker.name(), names);
      String problem = parsed == null
          ? "it has no turn in the JSON form " + SpeakerTurnFormat.EXAMPLE + " or as a 'Name: text' line"
          : problem(parsed, participants, speaker, earlier);
      if (problem == null) {
        attempt.turn = new Turn(round, number, speaker.id(), speaker.name(), parsed.thought(),
            withoutOwnName(parsed.text(), speaker));
        attempt.problem = null;
        return;
      }
      if (response.truncated()) {
        problem += " (the answer was cut off at the token limit)";
      }
      attempt.problem = "the model's answer could not be used after " + (ask + 1) + " attempts: " + problem;
      conversation = RoleplayPrompt.reask(messages, response.text(), problem, speaker.name());
    }
  }

  private static @Nullable String problem(
      ParsedTurn parsed, List<Entity> participants, Entity speaker, List<Turn> earlier) {
    Entity named = SimulationEngine.find(participants, parsed.speaker());
    if (named == null || !named.id().equals(speaker.id())) {
      return "it is spoken by '" + parsed.speaker() + "', not by " + speaker.name()
          + "; write only " + speaker.name() + "'s turn";
    }
    String text = withoutOwnName(parsed.text(), speaker);
    if (text.isBlank()) {
      return "it has no text";
    }
    for (Entity other : participants) {
      if (!other.id().equals(speaker.id()) && startsWithName(text, other.name())) {
        return "it speaks as " + other.name() + ", not as " + speaker.name()
            + "; write only " + speaker.name() + "'s turn";
      }
    }
    String normalised = SimulationEngine.normalise(text);
    for (Turn t : earlier) {
      if (SimulationEngine.normalise(t.text()).equals(normalised)) {
        return "it repeats turn " + t.turnNumber() + " verbatim";
      }
    }
    return null;
  }

  /** The text without a leading "Name:" of the speaker's own, which some models write in the text. */
  private static String withoutOwnName(String text, Entity speaker) {
    return startsWithName(text, speaker.name()) ? text.strip().substring(speaker.name().length() + 1).strip() : text;
  }

  private static boolean startsWithName(String text, String name) {
    String head = text.strip();
    return head.length() > name.length() && head.charAt(name.length()) == ':'
        && head.substring(0, name.length()).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
  }
}
