package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.simulation.TurnParser.ParsedTurn;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.WorkQueue;
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
public final class ScriptedRound extends AbstractSteppedAsk {
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
  private final List<Entity> participants;
  private final List<String> names;
  private final List<Turn> earlier;
  private final List<ChatMessage> messages;
  private List<ChatMessage> conversation;
  private List<Turn> turns = List.of();
  private @Nullable String fingerprint;

  private ScriptedRound(PromptBuilder prompts, String system, Simulation simulation, BatchRequest request,
      long batchSeed, int round, int maxReasks, List<Entity> participants, List<Turn> earlier,
      List<ChatMessage> messages) {
    super(maxReasks);
    this.prompts = prompts;
    this.system = system;
    this.simulation = simulation;
    this.request = request;
    this.batchSeed = batchSeed;
    this.round = round;
    this.firstTurn = (round - 1) * request.nTurns() + 1;
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
    return SimulationEngine.roundCall(conversation, request, batchSeed, simulation.sequenceNumber(), round, ask(),
        simulation.plannedModel());
  }

  @Override
  public @Nullable String callModel() {
    return simulation.plannedModel();
  }

  @Override
  protected @Nullable String problemWith(ChatResponse response) {
    if (response.systemFingerprint() != null) {
      fingerprint = response.systemFingerprint();
    }
    List<ParsedTurn> parsed = TurnParser.parse(response.text(), names);
    String wrong = SimulationEngine.problem(parsed, request.nTurns(), participants, earlier);
    if (wrong == null) {
      turns = SimulationEngine.toTurns(parsed.subList(0, request.nTurns()), participants, round, firstTurn);
      return null;
    }
    return response.truncated() ? wrong + " (the answer was cut off at the token limit)" : wrong;
  }

  @Override
  protected void reaskAfter(String answer, String problem) {
    conversation = PromptBuilder.reask(messages, answer, problem, request.nTurns());
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
    return start(prompts, simulation, request, system, batchSeed, participants, allTurns, round + 1, maxReasks());
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

  /** The accepted round, with every call's usage and cost (re-asks included). */
  public RoundResult result() {
    return new RoundResult(round, turns, usage(), model(), costUsd(), fingerprint);
  }

  /** The accepted turns; empty until an answer is accepted. */
  @Override
  public List<Turn> turns() {
    return turns;
  }
}
