package dev.cohort.core.internal.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.ChatMessage;
import java.util.List;

/**
 * The messages a run sends, built by the same {@link PromptBuilder} and {@link RoleplayPrompt} the
 * {@link SimulationEngine} uses, for code that must know a run's prompts without running it (the
 * spend estimate): a scripted round's call, or a role-play turn's call made for its speaker.
 * Whatever changes in the prompts changes here too.
 */
public final class RoundPrompts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA_JSON = json(TurnFormat.SCHEMA);
  private static final String SPEAKER_SCHEMA_JSON = json(SpeakerTurnFormat.SCHEMA);

  private final PromptBuilder prompts;
  private final RoleplayPrompt roleplay;

  /** @param transcriptWindow most characters of earlier transcript shown to the model, as the run's */
  public RoundPrompts(int transcriptWindow) {
    this.prompts = new PromptBuilder(transcriptWindow);
    this.roleplay = new RoleplayPrompt(prompts);
  }

  /** The speaker of each turn of {@code round}, as the engine asks for them. */
  public static List<Entity> speakers(List<Entity> order, int round, int turnsPerRound) {
    return PromptBuilder.speakers(order, round, turnsPerRound);
  }

  /**
   * The messages of the first call of {@code round}.
   *
   * @param system the batch's {@link SimulationEngine#systemMessage system message}
   * @param order the participants in speaking order
   * @param earlier every turn of the rounds before this one
   */
  public List<ChatMessage> round(
      BatchRequest request, String system, List<Entity> order, List<Turn> earlier, int round) {
    int firstTurn = (round - 1) * request.nTurns() + 1;
    return prompts.roundMessages(system, order, earlier, speakers(order, round, request.nTurns()), firstTurn, round,
        request.simulationRounds());
  }

  /** The messages of a re-ask after {@code answer} was rejected, as the engine sends them. */
  public static List<ChatMessage> reask(List<ChatMessage> messages, String answer, int turns) {
    return PromptBuilder.reask(messages, answer, "it has 1 turns but " + turns + " were asked for", turns);
  }

  /** The answer in the JSON form the prompt asks for, as a model that wrote {@code turns} would give it. */
  public static String answer(List<Turn> turns) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("turns");
    for (Turn t : turns) {
      ObjectNode turn = array.addObject();
      turn.put("speaker", t.speakerName());
      turn.put("thought", t.thought() == null ? "" : t.thought());
      turn.put("text", t.text());
    }
    return json(root);
  }

  /** The JSON Schema every call sends as its response format. */
  public static String schema() {
    return SCHEMA_JSON;
  }

  /**
   * The messages of the first call of role-play turn {@code turnNumber}, made for its speaker (the
   * one the speaking order gives that turn) with what {@code request}'s visibility lets them see.
   *
   * @param system the batch's {@link SimulationEngine#systemMessage system message}
   * @param order the participants in speaking order
   * @param earlier every turn before this one, thoughts included (the prompt shows only the speaker's)
   */
  public List<ChatMessage> turn(
      BatchRequest request, String system, List<Entity> order, List<Turn> earlier, int turnNumber) {
    Entity speaker = order.get((turnNumber - 1) % order.size());
    int round = (turnNumber - 1) / request.nTurns() + 1;
    return roleplay.turnMessages(system, order, earlier, speaker, turnNumber, round, request.simulationRounds(),
        request.visibility());
  }

  /** The messages of a role-play re-ask after {@code answer} was rejected, as the engine sends them. */
  public static List<ChatMessage> turnReask(List<ChatMessage> messages, String answer, String speaker) {
    return RoleplayPrompt.reask(messages, answer, "it has no text", speaker);
  }

  /** The answer of a role-play turn in the JSON form its prompt asks for. */
  public static String turnAnswer(Turn turn) {
    ObjectNode root = JSON.createObjectNode();
    root.put("thought", turn.thought() == null ? "" : turn.thought());
    root.put("text", turn.text());
    return json(root);
  }

  /** The JSON Schema every role-play call sends as its response format. */
  public static String turnSchema() {
    return SPEAKER_SCHEMA_JSON;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }
}
