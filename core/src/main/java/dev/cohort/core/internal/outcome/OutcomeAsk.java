package dev.cohort.core.internal.outcome;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.OutcomeExtraction;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.simulation.AbstractSteppedAsk;
import dev.cohort.core.internal.simulation.SteppedAsk;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.WorkQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One simulation's outcome extraction being asked of the model call by call: the request of its
 * next call (every missing outcome at once, against the declaration's strict JSON schema) and what
 * each answer makes of it (accepted, asked again with the problems spelt out, or given up). The
 * direct {@link OutcomeExtractor} asks it through the model caller; the batch API coordinator asks
 * it job by job after the simulation's last round, so both send the same prompt, schema, seed and
 * temperature and apply the same checks and re-ask rules. A failure is a result: {@link #result()}
 * then holds the error and no values. Not thread-safe.
 */
public final class OutcomeAsk extends AbstractSteppedAsk {
  /** The round number an extraction stands in for: it follows the last round, and no round is 0. */
  public static final int ROUND = 0;

  private final List<DeclaredOutcome> outcomes;
  private final Participants labels;
  private final String system;
  private final List<ChatMessage> first;
  private final Map<String, Object> schema;
  private final long seed;
  private final @Nullable String model;
  private final String reportedModel;
  private List<ChatMessage> conversation;
  private @Nullable Map<String, @Nullable Object> values;
  /** The registry model whose provider a batch job of this extraction goes to; null: the one model. */
  private @Nullable String callModel;

  private OutcomeAsk(BatchRequest request, List<DeclaredOutcome> outcomes, List<Entity> participants, List<Turn> turns,
      long seed, @Nullable String model, String reportedModel, int maxReasks) {
    super(maxReasks);
    this.outcomes = List.copyOf(outcomes);
    this.labels = new Participants(participants);
    this.system = OutcomePrompt.system(request, this.outcomes);
    this.first = List.of(ChatMessage.system(system), ChatMessage.user(OutcomePrompt.user(labels, turns)));
    this.schema = OutcomeSchema.of(this.outcomes, labels);
    this.seed = seed;
    this.model = model;
    this.reportedModel = reportedModel;
    this.conversation = first;
  }

  /**
   * Starts an extraction of {@code outcomes}.
   *
   * @param participants the simulation's participants, in its order
   * @param turns its whole transcript
   * @param seed the seed of the first call (re-asks add their number), for providers that honour one
   * @param model the model the requests name; null for the one the caller sends to
   * @param reportedModel the model recorded for the extraction when no answer names one
   * @param maxReasks how many times an answer that does not fit is asked for again
   */
  public static OutcomeAsk start(BatchRequest request, List<DeclaredOutcome> outcomes, List<Entity> participants,
      List<Turn> turns, long seed, @Nullable String model, String reportedModel, int maxReasks) {
    return new OutcomeAsk(request, outcomes, participants, turns, seed, model, reportedModel, maxReasks);
  }

  /**
   * The extraction a simulation whose dialogue is complete still needs in a batch API run, or null
   * when the batch declares no outcome it lacks. It goes into a job of the simulation's own model,
   * with its rounds, and names the model its rounds name; an {@code outcome_model} that names a
   * registry entry takes it into that entry's jobs instead, as a direct run sends it to that entry.
   *
   * @param entities the batch's entities by id
   * @param turns the simulation's whole transcript
   * @param isRegistryName whether a name is one of this instance's registry models
   */
  public static @Nullable OutcomeAsk afterDialogue(Simulation simulation, BatchRequest request, long batchSeed,
      Map<String, Entity> entities, List<Turn> turns, int maxReasks, Predicate<String> isRegistryName) {
    List<DeclaredOutcome> wanted = OutcomeExtractor.missing(request, simulation.outcomes());
    if (wanted.isEmpty()) {
      return null;
    }
    List<Entity> participants = new ArrayList<>(simulation.entityIds().size());
    for (String id : simulation.entityIds()) {
      participants.add(entities.get(id));
    }
    String outcomeModel = request.outcomeModel();
    // A registry name's requests, like a named model's rounds, send no model id of their own.
    boolean namedExtractor = outcomeModel != null && isRegistryName.test(outcomeModel);
    @Nullable String callModel = namedExtractor ? outcomeModel : simulation.plannedModel();
    @Nullable String model = namedExtractor ? null : outcomeModel != null ? outcomeModel
        : callModel != null ? null : request.llm().model();
    String reported = model != null ? model : callModel != null ? callModel : "";
    OutcomeAsk ask = start(request, wanted, participants, turns,
        OutcomeExtractor.seed(batchSeed, request, simulation.sequenceNumber()), model, reported, maxReasks);
    ask.callModel = callModel;
    return ask;
  }

  @Override
  public @Nullable String callModel() {
    return callModel;
  }

  @Override
  public ChatRequest call() {
    return ChatRequest.builder()
        .messages(conversation)
        .model(model)
        .temperature(OutcomeExtractor.TEMPERATURE)
        .seed(seed + ask())
        .jsonSchema(schema)
        .build();
  }

  @Override
  protected @Nullable String problemWith(ChatResponse response) {
    OutcomeAnswer.Checked checked = OutcomeAnswer.check(response.text(), outcomes, labels);
    if (checked.usable()) {
      values = checked.values();
      return null;
    }
    List<String> problems = new ArrayList<>(checked.problems());
    if (response.truncated()) {
      problems.add("the answer was cut off at the token limit");
    }
    return String.join("; ", problems);
  }

  @Override
  protected void reaskAfter(String answer, String problem) {
    conversation = OutcomePrompt.reask(first, answer, List.of(problem));
  }

  /**
   * Gives the extraction up because its call could not be made ({@code why}): {@link #result()}
   * then records that as the extraction's error.
   */
  public void giveUp(String why) {
    values = null;
    failedBecause("the extraction call failed: " + why);
  }

  /**
   * What the extraction produced, its cost not set: the values of an accepted answer, or the
   * error of the last problem (no extraction call made, when none was).
   */
  public ExtractedOutcomes result() {
    String answeredBy = model() != null ? model() : reportedModel;
    OutcomeExtraction extraction = new OutcomeExtraction(answeredBy, system);
    Map<String, @Nullable Object> accepted = values;
    if (accepted != null) {
      return new ExtractedOutcomes(accepted, null, extraction, usage());
    }
    String error = problem();
    return new ExtractedOutcomes(Map.of(), error != null ? error : "no extraction call was made", extraction,
        usage());
  }

  /** Records the extraction, at the cost of its calls, under {@code lease}; the simulation completes after it. */
  @Override
  public boolean record(WorkQueue queue, Lease lease) {
    return queue.recordOutcomes(lease, result().withCostUsd(costUsd()));
  }

  /** {@value #ROUND}: an extraction follows the last round. */
  @Override
  public int round() {
    return ROUND;
  }

  /** 0: an extraction holds no turn. */
  @Override
  public int turnNumber() {
    return 0;
  }

  @Override
  public String what() {
    return "outcome extraction";
  }

  /** Null: the extraction is a simulation's last piece. */
  @Override
  public @Nullable SteppedAsk following(List<Turn> allTurns) {
    return null;
  }

  /** None: an extraction adds no turn. */
  @Override
  public List<Turn> turns() {
    return List.of();
  }

  /** False: the {@code truncated} flag is about the dialogue's answers, as in direct mode. */
  @Override
  public boolean truncated() {
    return false;
  }
}
