package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.call.CallScope;
import dev.cohort.core.internal.simulation.SimulationEngine.Completed;
import dev.cohort.core.internal.simulation.SimulationEngine.LeaseLost;
import dev.cohort.core.internal.simulation.SimulationEngine.Outcome;
import dev.cohort.core.internal.simulation.SimulationEngine.TurnSink;
import dev.cohort.core.internal.simulation.TurnParser.ParsedTurn;
import dev.cohort.core.port.ChatMessage;
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
  private final Reasks reasks;
  private final RoleplayPrompt prompts;

  RoleplayPlayer(Reasks reasks, RoleplayPrompt prompts) {
    this.reasks = reasks;
    this.prompts = prompts;
  }

  /** Plays the turns of {@code simulation} that are not recorded yet; see {@link SimulationEngine#play}. */
  Outcome play(
      Simulation simulation, BatchRequest request, String system, long batchSeed, Map<String, Entity> entities,
      TurnSink sink, CallBudget budget) throws InterruptedException {
    List<Entity> order = SimulationEngine.speakingOrder(simulation, entities);
    List<Turn> turns = new ArrayList<>(simulation.turns());
    TokenUsage usage = simulation.usage();
    @Nullable Double cost = simulation.costUsd();
    int done = turns.stream().mapToInt(Turn::turnNumber).max().orElse(0);
    for (int number = done + 1; number <= request.finalTurnNumber(); number++) {
      int round = (number - 1) / request.nTurns() + 1;
      Entity speaker = order.get((number - 1) % order.size());
      List<ChatMessage> messages = prompts.turnMessages(
          system, order, turns, speaker, number, round, request.simulationRounds(), request.visibility());
      int current = number;
      // A participant with a model of its own (participant_models) speaks through it.
      @Nullable String speakerModel = request.modelFactor().speakerModel(simulation.plannedModel(), speaker.id());
      int group = request.modelFactor().groupSequence(simulation.sequenceNumber());
      Reasks.Attempt<Turn> attempt = reasks.ask(
          request, messages, SpeakerTurnFormat.SCHEMA,
          ask -> SimulationEngine.callSeed(batchSeed, group, current, ask),
          text -> read(text, order, speaker, turns, round, current),
          (first, answer, problem) -> RoleplayPrompt.reask(first, answer, problem, speaker.name()), budget,
          new CallScope(simulation.batchId(), simulation.sequenceNumber(), round, speakerModel));
      Turn turn = attempt.value();
      if (turn == null) {
        return attempt.failed("turn " + number, usage, cost);
      }
      if (!sink.record(new TurnResult(turn, attempt.usage(), attempt.model(), attempt.costUsd()))) {
        return new LeaseLost();
      }
      turns.add(turn);
      usage = usage.plus(attempt.usage());
      cost = CostSum.plus(cost, attempt.costUsd());
    }
    return new Completed(turns, usage, cost);
  }

  /** The speaker's turn in {@code text}, or why it cannot be used. */
  private static Reasks.Reading<Turn> read(
      String text, List<Entity> participants, Entity speaker, List<Turn> earlier, int round, int number) {
    List<String> names = participants.stream().map(Entity::name).collect(Collectors.toList());
    ParsedTurn parsed = TurnParser.parseOne(text, speaker.name(), names);
    if (parsed == null) {
      return Reasks.Reading.unusable(
          "it has no turn in the JSON form " + SpeakerTurnFormat.EXAMPLE + " or as a 'Name: text' line");
    }
    String problem = problem(parsed, participants, speaker, earlier);
    return problem == null
        ? Reasks.Reading.usable(new Turn(round, number, speaker.id(), speaker.name(), parsed.thought(),
            withoutOwnName(parsed.text(), speaker)))
        : Reasks.Reading.unusable(problem);
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
