package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.Visibility;
import dev.cohort.core.internal.call.CallScope;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.ModelCallers;
import dev.cohort.core.internal.simulation.TurnParser.ParsedTurn;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.TurnResult;
import dev.cohort.core.spend.CostSum;
import dev.cohort.core.spend.PriceTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Plays a simulation in its batch's mode. Scripted: one model call per round (plus bounded
 * re-asks), each round recorded as soon as it is done, continuing after the rounds already
 * recorded. Role-play: one call per turn for its speaker ({@link RoleplayPlayer}), each turn
 * recorded as soon as it is done, continuing at the first turn not recorded.
 */
public final class SimulationEngine {
  private final int maxReasks;
  private final PromptBuilder prompts;
  private final PricedCalls calls;
  private final RoleplayPlayer roleplay;

  /** Where a finished round goes; returns false when the simulation's lease was lost. */
  @FunctionalInterface
  public interface RoundSink {
    boolean record(RoundResult round);
  }

  /** Where a finished role-play turn goes; returns false when the simulation's lease was lost. */
  @FunctionalInterface
  public interface TurnSink {
    boolean record(TurnResult turn);
  }

  /** How a simulation ended. */
  public sealed interface Outcome {}

  /**
   * Every round recorded.
   *
   * @param costUsd what all its calls cost, earlier claims included; null when unknown
   * @param truncatedAnswers how many answers this play accepted although the model was cut off at
   *     the token limit (their turns were still readable); rounds recorded by an earlier claim are
   *     not counted, their answers are gone
   */
  public record Completed(List<Turn> turns, TokenUsage usage, @Nullable Double costUsd, int truncatedAnswers)
      implements Outcome {
    /** Every round recorded, no answer cut off. */
    public Completed(List<Turn> turns, TokenUsage usage, @Nullable Double costUsd) {
      this(turns, usage, costUsd, 0);
    }
  }

  /**
   * The simulation cannot complete; {@code error} says why. Every call it made was paid for,
   * answers that were not used included.
   *
   * @param usage tokens of all its calls so far: earlier claims, recorded rounds and the calls no
   *     round recorded
   * @param unrecordedUsage the part of {@code usage} no recorded round holds (rejected answers, the
   *     failed round's calls): what finishing it must add
   * @param costUsd what {@code usage} cost; null when unknown
   * @param unrecordedCostUsd what {@code unrecordedUsage} cost; null when unknown
   */
  public record Failed(String error, TokenUsage usage, TokenUsage unrecordedUsage, @Nullable Double costUsd,
      @Nullable Double unrecordedCostUsd) implements Outcome {}

  /** Another worker holds the simulation now; nothing more may be written. */
  public record LeaseLost() implements Outcome {}

  /**
   * @param caller sends each call, with retries
   * @param maxReasks how many times an unusable answer is asked for again, per round
   * @param transcriptWindow most characters of earlier transcript shown to the model
   */
  public SimulationEngine(ModelCaller caller, int maxReasks, int transcriptWindow) {
    this(caller, maxReasks, transcriptWindow, PriceTable.builtIn());
  }

  /**
   * The version of the prompts' wording and answer format; it changes whenever {@code PromptBuilder}
   * or the turn format changes, so a manifest tells which prompts a batch was run with.
   */
  public static final int PROMPT_FORMAT_VERSION = 1;

  /**
   * The scripted prompt templates with placeholders in place of the batch's values: the system
   * message, a round's user message and the re-ask message, separated by blank lines. Its SHA-256
   * names the prompt wording in a manifest.
   */
  public static String promptTemplates() {
    return promptTemplates(SimulationMode.SCRIPTED);
  }

  /**
   * The prompt templates of {@code mode}, with placeholders in place of the batch's values,
   * separated by blank lines. Scripted: see {@link #promptTemplates()}. Role-play: its system
   * message, a turn's two user messages (the public transcript, then the speaker's own view with a
   * self, a participant seen with each {@link dev.cohort.core.batch.Visibility visibility}'s
   * wording and an earlier thought of the speaker's) and the re-ask message. Its SHA-256 names the
   * prompt wording of a batch of that mode in a manifest.
   */
  public static String promptTemplates(SimulationMode mode) {
    BatchRequest placeholder = BatchRequest.builder().name("{name}").context("{context}")
        .interactionStyle("{interaction_style}").language("{language}")
        .entityIds("{a}", "{b}").interactionSize(2).numSimulations(1).nTurns(1).build();
    Entity participant = Entity.of("{id}", "{participant_name}", "{participant_description}");
    if (mode == SimulationMode.ROLEPLAY) {
      return roleplayTemplates(placeholder, participant);
    }
    List<ChatMessage> round = new PromptBuilder(Integer.MAX_VALUE).roundMessages(
        "{system}", List.of(participant), List.of(), List.of(participant), 1, 1, 1);
    List<ChatMessage> reask = PromptBuilder.reask(List.of(), "{answer}", "{problem}", 1);
    return PromptBuilder.systemMessage(placeholder) + "\n\n" + round.get(1).content() + "\n\n"
        + reask.get(reask.size() - 1).content();
  }

  private static String roleplayTemplates(BatchRequest placeholder, Entity speaker) {
    Entity other = new Entity("{other_id}", "{other_name}", "{other_description}",
        Map.of("{attribute}", "{value}"));
    Entity self = new Entity(speaker.id(), speaker.name(), speaker.description(), Map.of("{attribute}", "{value}"));
    List<Turn> earlier = List.of(new Turn(1, 1, self.id(), self.name(), "{own_thought}", "{text}"));
    RoleplayPrompt prompt = new RoleplayPrompt(new PromptBuilder(Integer.MAX_VALUE));
    StringBuilder out = new StringBuilder(RoleplayPrompt.systemMessage(placeholder));
    // Every visibility words the others differently: each one's view is part of the templates.
    for (Visibility visibility : Visibility.values()) {
      List<ChatMessage> turn = prompt.turnMessages("{system}", List.of(self, other), earlier, self, 2, 1, 1,
          visibility);
      if (visibility == Visibility.values()[0]) {
        out.append("\n\n").append(turn.get(1).content());
      }
      out.append("\n\n").append(turn.get(2).content());
    }
    List<ChatMessage> reask = RoleplayPrompt.reask(List.of(), "{answer}", "{problem}", "{participant_name}");
    return out.append("\n\n").append(reask.get(reask.size() - 1).content()).toString();
  }

  /**
   * @param prices what each call is priced with, by the model name the provider returned (the
   *     requested model when the provider names none)
   */
  public SimulationEngine(ModelCaller caller, int maxReasks, int transcriptWindow, PriceTable prices) {
    this(ModelCallers.single(caller), maxReasks, transcriptWindow, prices);
  }

  /**
   * An engine whose simulations call the model they were planned for ({@link
   * Simulation#plannedModel()}), each name through its own caller.
   */
  public SimulationEngine(ModelCallers callers, int maxReasks, int transcriptWindow, PriceTable prices) {
    this.maxReasks = maxReasks;
    this.prompts = new PromptBuilder(transcriptWindow);
    this.calls = new PricedCalls(callers, prices);
    this.roleplay = new RoleplayPlayer(calls, new RoleplayPrompt(prompts), maxReasks);
  }

  /** The system message every call of the batch starts with (its mode's). */
  public static String systemMessage(BatchRequest request) {
    return request.mode() == SimulationMode.ROLEPLAY
        ? RoleplayPrompt.systemMessage(request)
        : PromptBuilder.systemMessage(request);
  }

  /**
   * Plays what is not recorded yet of {@code simulation} without a budget; see {@link #play(Simulation,
   * BatchRequest, String, long, Map, RoundSink, TurnSink, CallBudget)}.
   */
  public Outcome play(
      Simulation simulation, BatchRequest request, String system, long batchSeed,
      Map<String, Entity> entities, RoundSink rounds, TurnSink turns) throws InterruptedException {
    return play(simulation, request, system, batchSeed, entities, rounds, turns, CallBudget.NONE);
  }

  /**
   * Plays what is not recorded yet of {@code simulation}: its rounds (scripted mode), recorded
   * through {@code rounds}, or its turns (role-play), recorded through {@code turns}, asking {@code
   * budget} before every call and telling it what each call used.
   *
   * @param system the batch's {@link #systemMessage system message}
   * @param entities the batch's entities by id
   * @throws BudgetReachedException when a call may not start; what was recorded so far stays
   * @throws dev.cohort.core.port.BatchFatalLlmException when no call of the batch can succeed
   * @throws InterruptedException when the thread is interrupted (the batch is stopping)
   */
  public Outcome play(
      Simulation simulation, BatchRequest request, String system, long batchSeed,
      Map<String, Entity> entities, RoundSink rounds, TurnSink turns, CallBudget budget)
      throws InterruptedException {
    if (request.mode() == SimulationMode.ROLEPLAY) {
      return roleplay.play(simulation, request, system, batchSeed, entities, turns, budget);
    }
    return playRounds(simulation, request, system, batchSeed, entities, rounds, budget);
  }

  private Outcome playRounds(
      Simulation simulation, BatchRequest request, String system, long batchSeed,
      Map<String, Entity> entities, RoundSink sink, CallBudget budget) throws InterruptedException {
    List<Entity> order = speakingOrder(simulation, entities);
    List<Turn> turns = new ArrayList<>(simulation.turns());
    TokenUsage usage = simulation.usage();
    @Nullable Double cost = simulation.costUsd();
    int done = turns.stream().mapToInt(Turn::round).max().orElse(0);
    int truncatedAnswers = 0;
    for (int round = done + 1; round <= request.simulationRounds(); round++) {
      ScriptedRound attempt = ScriptedRound.start(prompts, simulation, request, system, batchSeed, order, turns, round,
          maxReasks);
      ScriptedRound.Verdict verdict;
      try {
        verdict = playRound(attempt, simulation, budget);
      } catch (CallFatalLlmException | RetryableLlmException e) {
        return new Failed("round " + round + ": " + e.getMessage(), usage.plus(attempt.usage()), attempt.usage(),
            CostSum.plus(cost, attempt.costUsd()), attempt.costUsd());
      }
      if (verdict != ScriptedRound.Verdict.ACCEPTED) {
        return new Failed("round " + round + ": " + attempt.problem(), usage.plus(attempt.usage()), attempt.usage(),
            CostSum.plus(cost, attempt.costUsd()), attempt.costUsd());
      }
      if (!sink.record(attempt.result())) {
        return new LeaseLost();
      }
      turns.addAll(attempt.turns());
      usage = usage.plus(attempt.usage());
      cost = CostSum.plus(cost, attempt.costUsd());
      if (attempt.truncated()) {
        truncatedAnswers++;
      }
    }
    return new Completed(turns, usage, cost, truncatedAnswers);
  }

  /**
   * Asks for one round until an answer is usable or the re-asks run out; {@code attempt} adds every
   * answer's usage as it comes, so a round that ends in an exception still shows what its earlier
   * answers cost.
   */
  private ScriptedRound.Verdict playRound(ScriptedRound attempt, Simulation simulation, CallBudget budget)
      throws InterruptedException {
    while (true) {
      PricedCalls.Answer answer = calls.call(attempt.call(), budget,
          new CallScope(simulation.batchId(), simulation.sequenceNumber(), attempt.round(), simulation.plannedModel()));
      ScriptedRound.Verdict verdict = attempt.take(answer.response(), answer.usage(), answer.costUsd());
      if (verdict != ScriptedRound.Verdict.REASK) {
        return verdict;
      }
    }
  }

  /**
   * The request of call {@code ask} (0 the first, then each re-ask) of a scripted round: the batch's
   * model settings, a seed per (simulation, round, ask) and the turn format's schema. The batch API
   * coordinator sends the same requests.
   */
  static ChatRequest roundCall(List<ChatMessage> conversation, BatchRequest request, long batchSeed, int sequence,
      int round, int ask, @Nullable String plannedModel) {
    return ChatRequest.builder()
        .messages(conversation)
        .model(requestModel(request, plannedModel))
        .temperature(request.llm().temperature())
        .maxTokens(request.llm().maxTokens())
        // Copies of a group on different models share their seeds (crossed model assignment).
        .seed(callSeed(batchSeed, request.modelFactor().groupSequence(sequence), round, ask))
        .jsonSchema(TurnFormat.SCHEMA)
        .build();
  }

  static @Nullable String problem(
      List<ParsedTurn> parsed, int wanted, List<Entity> participants, List<Turn> earlier) {
    if (parsed.size() < wanted) {
      return parsed.isEmpty()
          ? "it has no turns in the JSON turn format or as 'Name: text' lines"
          : "it has " + parsed.size() + " turns but " + wanted + " were asked for";
    }
    Set<String> seen = new HashSet<>();
    for (Turn t : earlier) {
      seen.add(normalise(t.text()));
    }
    for (int i = 0; i < wanted; i++) {
      ParsedTurn turn = parsed.get(i);
      if (find(participants, turn.speaker()) == null) {
        return "turn " + (i + 1) + " is spoken by '" + turn.speaker() + "', who is not a participant (participants: "
            + participants.stream().map(Entity::name).collect(Collectors.joining(", ")) + ")";
      }
      if (turn.text().isBlank()) {
        return "turn " + (i + 1) + " has no text";
      }
      if (!seen.add(normalise(turn.text()))) {
        return "turn " + (i + 1) + " repeats an earlier turn verbatim";
      }
    }
    return null;
  }

  static List<Turn> toTurns(List<ParsedTurn> parsed, List<Entity> participants, int round, int firstTurn) {
    List<Turn> turns = new ArrayList<>(parsed.size());
    for (int i = 0; i < parsed.size(); i++) {
      ParsedTurn p = parsed.get(i);
      Entity speaker = find(participants, p.speaker());
      if (speaker == null) {
        throw new IllegalStateException("speaker was validated");
      }
      turns.add(new Turn(round, firstTurn + i, speaker.id(), speaker.name(), p.thought(), p.text()));
    }
    return turns;
  }

  /** The simulation's participants in its stored speaking order, from the batch's entities by id. */
  static List<Entity> speakingOrder(Simulation simulation, Map<String, Entity> entities) {
    List<Entity> order = new ArrayList<>();
    for (String id : simulation.speakingOrder()) {
      order.add(entities.get(id));
    }
    return order;
  }

  /** The participant with exactly this name, else the one whose name matches ignoring case and edges. */
  static @Nullable Entity find(List<Entity> participants, String name) {
    for (Entity e : participants) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (Entity e : participants) {
      if (e.name().strip().toLowerCase(Locale.ROOT).equals(wanted)) {
        return e;
      }
    }
    return null;
  }

  /**
   * The text stripped, with every run of the whitespace that {@code \s} matches (space, tab, line
   * feed, vertical tab, form feed, carriage return) made one space. A loop, not {@code
   * replaceAll("\\s+", " ")}: that compiles a pattern on every call, and this runs for every earlier
   * and every new turn of each round.
   */
  static String normalise(String text) {
    String stripped = text.strip();
    if (isNormal(stripped)) {
      // The common case (single spaces only): no copy, which would be most of the validation's cost.
      return stripped;
    }
    StringBuilder out = new StringBuilder(stripped.length());
    boolean inWhitespace = false;
    for (int i = 0; i < stripped.length(); i++) {
      char c = stripped.charAt(i);
      boolean whitespace = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
      if (!whitespace) {
        out.append(c);
      } else if (!inWhitespace) {
        out.append(' ');
      }
      inWhitespace = whitespace;
    }
    return out.toString();
  }


  /**
   * The model a call names: none for a named model (its port calls the model it was made for),
   * else the request's {@code llm.model}.
   */
  static @Nullable String requestModel(BatchRequest request, @Nullable String namedModel) {
    return namedModel != null ? null : request.llm().model();
  }

  /** Whether {@link #normalise} would return {@code stripped} unchanged: no whitespace but single spaces. */
  private static boolean isNormal(String stripped) {
    boolean lastSpace = false;
    for (int i = 0; i < stripped.length(); i++) {
      char c = stripped.charAt(i);
      if (c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
        return false;
      }
      boolean space = c == ' ';
      if (space && lastSpace) {
        return false;
      }
      lastSpace = space;
    }
    return true;
  }

  /** A seed per call, so a provider that honours seeds answers a repeated call the same way. */
  static long callSeed(long batchSeed, int sequence, int round, int ask) {
    long h = batchSeed;
    h = h * 0x9E3779B97F4A7C15L + sequence;
    h = h * 0x9E3779B97F4A7C15L + round;
    h = h * 0x9E3779B97F4A7C15L + ask;
    return h ^ (h >>> 31);
  }
}
