package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.simulation.TurnParser.ParsedTurn;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.WorkQueue;
import dev.cohort.core.spend.CostSum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One scripted round of one simulation being asked of the model: the request of its next call, and
 * what each answer makes of it (accepted, asked again with the problem named, or given up). The
 * {@link SimulationEngine} asks it call by call; the batch API coordinator asks it job by job, so
 * both send the same prompts and apply the same parsing and re-ask rules. Not thread-safe.
 */
public final class ScriptedRound implements SteppedAsk {
  /** What an answer made of the round. */
  public enum Verdict {
    /** The answer is usable: {@link #result()} holds the round. */
    ACCEPTED,
    /** The answer is not usable and may be asked again: {@link #call()} is the re-ask. */
    REASK,
    /** The answer is not usable and the re-asks are used up: {@link #problem()} says why. */
    REJECTED
  }

  private final PromptBuilder prompts;
  private final String system;
  private final Simulation simulation;
  private final BatchRequest request;
  private final long batchSeed;
  private final int round;
  private final int firstTurn;
  private final int maxReasks;
  private final List<Entity> participants;
  private final List<String> names;
  private final List<Turn> earlier;
  private final List<ChatMessage> messages;
  private List<ChatMessage> conversation;
  private int ask;
  private List<Turn> turns = List.of();
  private TokenUsage usage = TokenUsage.ZERO;
  /** Starts known at 0; unknown from the first call whose model has no price. */
  private @Nullable Double cost = 0.0;
  private @Nullable String model;
  private @Nullable String fingerprint;
  private @Nullable String problem;
  private boolean truncated;

  private ScriptedRound(PromptBuilder prompts, String system, Simulation simulation, BatchRequest request,
      long batchSeed, int round, int maxReasks, List<Entity> participants, List<Turn> earlier,
      List<ChatMessage> messages) {
    this.prompts = prompts;
    this.system = system;
    this.simulation = simulation;
    this.request = request;
    this.batchSeed = batchSeed;
    this.round = round;
    this.firstTurn = (round - 1) * request.nTurns() + 1;
    this.maxReasks = maxReasks;
    this.participants = participants;
    this.names = participants.stream().map(Entity::name).collect(Collectors.toList());
    this.earlier = earlier;
    this.messages = messages;
    this.conversation = messages;
  }

  static ScriptedRound start(PromptBuilder prompts, Simulation simulation, BatchRequest request, String system,
      long batchSeed, List<Entity> order, List<Turn> earlier, int round, int maxReasks) {
    int firstTurn = (round - 1) * request.nTurns() + 1;
    List<Entity> speakers = PromptBuilder.speakers(order, round, request.nTurns());
    List<ChatMessage> messages = prompts.roundMessages(
        system, order, earlier, speakers, firstTurn, round, request.simulationRounds());
    return new ScriptedRound(prompts, system, simulation, request, batchSeed, round, maxReasks, order,
        List.copyOf(earlier), messages);
  }

  /**
   * The first round {@code simulation} has not recorded, its earlier turns taken from the
   * simulation, or empty when every round is recorded.
   *
   * @param entities the batch's entities by id
   * @param transcriptWindow most characters of earlier transcript shown to the model, as the engine's
   */
  public static @Nullable ScriptedRound next(Simulation simulation, BatchRequest request, String system,
      long batchSeed, Map<String, Entity> entities, int transcriptWindow, int maxReasks) {
    int done = simulation.turns().stream().mapToInt(Turn::round).max().orElse(0);
    if (done >= request.simulationRounds()) {
      return null;
    }
    List<Entity> order = new ArrayList<>();
    for (String id : simulation.speakingOrder()) {
      order.add(entities.get(id));
    }
    return start(new PromptBuilder(transcriptWindow), simulation, request, system, batchSeed, order,
        simulation.turns(), done + 1, maxReasks);
  }

  /** The request of the round's next call: its first, or the re-ask after a rejected answer. */
  @Override
  public ChatRequest call() {
    return SimulationEngine.roundCall(conversation, request, batchSeed, simulation.sequenceNumber(), round, ask,
        simulation.plannedModel());
  }

  @Override
  public @Nullable String callModel() {
    return simulation.plannedModel();
  }

  /**
   * Takes one answer to {@link #call()}, with what it used and cost, and judges it.
   *
   * @param costUsd what the call cost; null when unknown
   */
  @Override
  public Verdict take(ChatResponse response, TokenUsage callUsage, @Nullable Double costUsd) {
    usage = usage.plus(callUsage);
    cost = CostSum.plus(cost, costUsd);
    if (response.model() != null) {
      model = response.model();
    }
    if (response.systemFingerprint() != null) {
      fingerprint = response.systemFingerprint();
    }
    List<ParsedTurn> parsed = TurnParser.parse(response.text(), names);
    String wrong = SimulationEngine.problem(parsed, request.nTurns(), participants, earlier);
    if (wrong == null) {
      turns = SimulationEngine.toTurns(parsed.subList(0, request.nTurns()), participants, round, firstTurn);
      problem = null;
      truncated = response.truncated();
      return Verdict.ACCEPTED;
    }
    if (response.truncated()) {
      wrong += " (the answer was cut off at the token limit)";
    }
    problem = "the model's answer could not be used after " + (ask + 1) + " attempts: " + wrong;
    if (ask >= maxReasks) {
      return Verdict.REJECTED;
    }
    conversation = PromptBuilder.reask(messages, response.text(), wrong, request.nTurns());
    ask++;
    return Verdict.REASK;
  }

  /**
   * The round after this one, whose earlier turns are {@code allTurns} (this round's accepted turns
   * included), or null when this is the simulation's last round.
   */
  @Override
  public @Nullable ScriptedRound following(List<Turn> allTurns) {
    if (round >= request.simulationRounds()) {
      return null;
    }
    return start(prompts, simulation, request, system, batchSeed, participants, allTurns, round + 1, maxReasks);
  }

  /**
   * Continues this round at re-ask {@code ask}, as a stored job that carries that re-ask says, when
   * the answers before it are gone with the process that took them: its answer is judged as usual.
   * ({@link #call()} then sends the round's first messages with that re-ask's seed: the rejected
   * answers it would quote are not kept.)
   */
  @Override
  public void continueAt(int ask) {
    if (ask < 0 || ask > maxReasks) {
      throw new IllegalArgumentException("ask must be between 0 and " + maxReasks + ", was " + ask);
    }
    this.ask = ask;
  }

  /** The simulation this round belongs to. */
  public Simulation simulation() {
    return simulation;
  }

  /** The round's number, 1-based. */
  @Override
  public int round() {
    return round;
  }

  /** 0: a scripted round holds several turns. */
  @Override
  public int turnNumber() {
    return 0;
  }

  @Override
  public String what() {
    return "round " + round;
  }

  @Override
  public boolean record(WorkQueue queue, Lease lease) {
    return queue.recordRound(lease, result());
  }

  /** Which call of the round {@link #call()} is: 0 the first, then each re-ask. */
  @Override
  public int ask() {
    return ask;
  }

  /** The accepted round, with every call's usage and cost (re-asks included). */
  public RoundResult result() {
    return new RoundResult(round, turns, usage, model, cost, fingerprint);
  }

  /** The accepted turns; empty until an answer is accepted. */
  @Override
  public List<Turn> turns() {
    return turns;
  }

  /** Tokens of every answer taken so far. */
  @Override
  public TokenUsage usage() {
    return usage;
  }

  /** What every answer taken so far cost; null when unknown. */
  @Override
  public @Nullable Double costUsd() {
    return cost;
  }

  /** Why the last answer was not usable, or null. */
  @Override
  public @Nullable String problem() {
    return problem;
  }

  /** Whether the accepted answer was cut off at the token limit. */
  @Override
  public boolean truncated() {
    return truncated;
  }
}
