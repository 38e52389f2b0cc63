package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.call.CallScope;
import dev.cohort.core.internal.simulation.TurnParser.ParsedTurn;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.TurnResult;
import dev.cohort.core.port.WorkQueue;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One role-play turn of one simulation being asked of its speaker: the request of its next call
 * (the speaker's own prompt, which shows no other participant's thoughts and, by the batch's
 * visibility, only what the speaker may see of the others) and what each answer makes of it
 * (accepted, asked again with the problem named, or given up). The direct {@link RoleplayPlayer}
 * asks it call by call; the batch API coordinator asks it job by job (one job per turn number),
 * so both send the same prompts and apply the same parsing and re-ask rules. Not thread-safe.
 */
public final class RoleplayTurn extends AbstractSteppedAsk {
  private final RoleplayPrompt prompts;
  private final String system;
  private final Simulation simulation;
  private final BatchRequest request;
  private final long batchSeed;
  private final List<Entity> order;
  private final List<Turn> earlier;
  private final int number;
  private final int round;
  private final Entity speaker;
  private final @Nullable String speakerModel;
  private final List<ChatMessage> messages;
  private List<ChatMessage> conversation;
  private @Nullable Turn turn;

  private RoleplayTurn(RoleplayPrompt prompts, String system, Simulation simulation, BatchRequest request,
      long batchSeed, List<Entity> order, List<Turn> earlier, int number, int maxReasks) {
    super(maxReasks);
    this.prompts = prompts;
    this.system = system;
    this.simulation = simulation;
    this.request = request;
    this.batchSeed = batchSeed;
    this.order = order;
    this.earlier = List.copyOf(earlier);
    this.number = number;
    this.round = (number - 1) / request.nTurns() + 1;
    this.speaker = order.get((number - 1) % order.size());
    // A participant with a model of its own (participant_models) speaks through it.
    this.speakerModel = request.modelFactor().speakerModel(simulation.plannedModel(), speaker.id());
    this.messages = prompts.turnMessages(
        system, order, this.earlier, speaker, number, round, request.simulationRounds(), request.visibility());
    this.conversation = messages;
  }

  /** Turn {@code number} of {@code simulation}, after the turns {@code earlier}. */
  static RoleplayTurn start(RoleplayPrompt prompts, Simulation simulation, BatchRequest request, String system,
      long batchSeed, List<Entity> order, List<Turn> earlier, int number, int maxReasks) {
    return new RoleplayTurn(prompts, system, simulation, request, batchSeed, order, earlier, number, maxReasks);
  }

  /**
   * The first turn {@code simulation} has not recorded, its earlier turns taken from the
   * simulation, or null when every turn is recorded.
   *
   * @param entities the batch's entities by id
   * @param transcriptWindow most characters of earlier transcript shown to the model, as the engine's
   */
  public static @Nullable RoleplayTurn next(Simulation simulation, BatchRequest request, String system,
      long batchSeed, Map<String, Entity> entities, int transcriptWindow, int maxReasks) {
    int done = simulation.turns().stream().mapToInt(Turn::turnNumber).max().orElse(0);
    if (done >= request.finalTurnNumber()) {
      return null;
    }
    return start(new RoleplayPrompt(new PromptBuilder(transcriptWindow)), simulation, request, system, batchSeed,
        SimulationEngine.speakingOrder(simulation, entities), simulation.turns(), done + 1, maxReasks);
  }

  @Override
  public ChatRequest call() {
    int group = request.modelFactor().groupSequence(simulation.sequenceNumber());
    return ChatRequest.builder()
        .messages(conversation)
        .model(SimulationEngine.requestModel(request, speakerModel))
        .temperature(request.llm().temperature())
        .maxTokens(request.llm().maxTokens())
        .seed(SimulationEngine.callSeed(batchSeed, group, number, ask()))
        .jsonSchema(SpeakerTurnFormat.SCHEMA)
        .build();
  }

  @Override
  public @Nullable String callModel() {
    return speakerModel;
  }

  /** The simulation, round and model the calls are for (the response cache records them). */
  CallScope scope() {
    return new CallScope(simulation.batchId(), simulation.sequenceNumber(), round, speakerModel);
  }

  @Override
  protected @Nullable String problemWith(ChatResponse response) {
    String wrong = read(response.text());
    if (wrong == null) {
      return null;
    }
    return response.truncated() ? wrong + " (the answer was cut off at the token limit)" : wrong;
  }

  @Override
  protected void reaskAfter(String answer, String problem) {
    conversation = RoleplayPrompt.reask(messages, answer, problem, speaker.name());
  }

  /**
   * Keeps the speaker's turn in {@code text} and returns null, or returns why it cannot be used.
   */
  private @Nullable String read(String text) {
    List<String> names = order.stream().map(Entity::name).collect(Collectors.toList());
    ParsedTurn parsed = TurnParser.parseOne(text, speaker.name(), names);
    if (parsed == null) {
      return "it has no turn in the JSON form " + SpeakerTurnFormat.EXAMPLE + " or as a 'Name: text' line";
    }
    String wrong = problem(parsed);
    if (wrong == null) {
      turn = new Turn(round, number, speaker.id(), speaker.name(), parsed.thought(), withoutOwnName(parsed.text()));
    }
    return wrong;
  }

  private @Nullable String problem(ParsedTurn parsed) {
    Entity named = SimulationEngine.find(order, parsed.speaker());
    if (named == null || !named.id().equals(speaker.id())) {
      return "it is spoken by '" + parsed.speaker() + "', not by " + speaker.name()
          + "; write only " + speaker.name() + "'s turn";
    }
    String text = withoutOwnName(parsed.text());
    if (text.isBlank()) {
      return "it has no text";
    }
    for (Entity other : order) {
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
  private String withoutOwnName(String text) {
    return startsWithName(text, speaker.name()) ? text.strip().substring(speaker.name().length() + 1).strip() : text;
  }

  private static boolean startsWithName(String text, String name) {
    String head = text.strip();
    return head.length() > name.length() && head.charAt(name.length()) == ':'
        && head.substring(0, name.length()).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public @Nullable RoleplayTurn following(List<Turn> allTurns) {
    if (number >= request.finalTurnNumber()) {
      return null;
    }
    return start(prompts, simulation, request, system, batchSeed, order, allTurns, number + 1, maxReasks());
  }

  /** The accepted turn, with every call's usage, model and cost (re-asks included). */
  TurnResult result() {
    if (turn == null) {
      throw new IllegalStateException("turn " + number + " has no accepted answer yet");
    }
    return new TurnResult(turn, usage(), model(), costUsd());
  }

  @Override
  public boolean record(WorkQueue queue, Lease lease) {
    return queue.recordTurn(lease, result());
  }

  @Override
  public int round() {
    return round;
  }

  @Override
  public int turnNumber() {
    return number;
  }

  @Override
  public String what() {
    return "turn " + number;
  }

  @Override
  public List<Turn> turns() {
    return turn == null ? List.of() : List.of(turn);
  }
}
