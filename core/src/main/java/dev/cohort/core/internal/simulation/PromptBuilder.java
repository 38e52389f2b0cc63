package dev.cohort.core.internal.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the messages of one round. What every simulation of a batch shares (instructions, style,
 * language, context) is the system message, byte-identical across the batch so providers can
 * cache it; the participants, the transcript so far and the round's task follow in the user
 * message. Internal ids and timestamps never reach the model.
 */
final class PromptBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What separates a participant's description from their attributes in a participants list. */
  static final String ATTRIBUTES = " | attributes: ";

  private final int transcriptWindow;

  /** @param transcriptWindow most characters of earlier transcript to include; older turns are cut */
  PromptBuilder(int transcriptWindow) {
    this.transcriptWindow = transcriptWindow;
  }

  /** The system message shared by every call of the batch. */
  static String systemMessage(BatchRequest request) {
    return "You write the dialogue of a simulated " + request.interactionStyle() + " in "
        + request.language() + ".\n"
        + "A turn is one contribution by one participant: what they say or do, with an optional short"
        + " inner thought.\n"
        + "Rules:\n"
        + "- Write exactly the turns asked for, one per listed speaker, in the order given.\n"
        + "- Continue the conversation so far; never repeat earlier turns.\n"
        + "- Each participant speaks in character, from their own description and attributes.\n"
        + "- Answer with JSON only, in this form: " + TurnFormat.EXAMPLE + "\n"
        + "Context:\n"
        + request.context();
  }

  /**
   * The messages for one round.
   *
   * @param system the batch's {@link #systemMessage system message}
   * @param participants the simulation's entities in speaking order
   * @param earlier every turn of the rounds before this one
   * @param speakers the speaker of each turn to write, in order
   * @param firstTurn the number of the first turn to write
   * @param round this round's number
   * @param rounds the number of rounds
   */
  List<ChatMessage> roundMessages(
      String system, List<Entity> participants, List<Turn> earlier, List<Entity> speakers,
      int firstTurn, int round, int rounds) {
    StringBuilder user = new StringBuilder("Participants:\n");
    for (Entity p : participants) {
      user.append("- ").append(p.name()).append(": ").append(oneLine(p.description()));
      if (!p.attributes().isEmpty()) {
        user.append(ATTRIBUTES).append(json(p.attributes()));
      }
      user.append('\n');
    }
    user.append("\nConversation so far:\n").append(window(earlier)).append("\n\n");
    int lastTurn = firstTurn + speakers.size() - 1;
    user.append("Write turns ").append(firstTurn).append(" to ").append(lastTurn)
        .append(" (round ").append(round).append(" of ").append(rounds).append(").\n");
    List<String> names = new ArrayList<>(speakers.size());
    for (Entity s : speakers) {
      names.add(s.name());
    }
    user.append("Speakers, one per turn, in order: ").append(JsonStringArray.of(names)).append('\n');
    user.append("Answer with JSON only.");
    return List.of(ChatMessage.system(system), ChatMessage.user(user.toString()));
  }

  /** The speaker of each turn of {@code round}: the speaking order, rotating from turn 1. */
  static List<Entity> speakers(List<Entity> order, int round, int turnsPerRound) {
    int firstTurn = (round - 1) * turnsPerRound + 1;
    List<Entity> speakers = new ArrayList<>(turnsPerRound);
    for (int t = firstTurn; t < firstTurn + turnsPerRound; t++) {
      speakers.add(order.get((t - 1) % order.size()));
    }
    return speakers;
  }

  /** A follow-up that tells the model what was wrong with its answer. */
  static List<ChatMessage> reask(List<ChatMessage> messages, String answer, String problem, int turns) {
    List<ChatMessage> next = new ArrayList<>(messages);
    next.add(ChatMessage.assistant(answer));
    next.add(ChatMessage.user("That answer cannot be used: " + problem + ". Answer again with exactly "
        + turns + " new turns as JSON in the required form."));
    return next;
  }

  /** The transcript of {@code earlier}, cut from the front to the window; "(nothing yet)" when empty. */
  String window(List<Turn> earlier) {
    if (earlier.isEmpty()) {
      return "(nothing yet)";
    }
    String all = Transcript.render(earlier);
    if (all.length() <= transcriptWindow) {
      return all;
    }
    // Keep whole turns from the end so the model sees the most recent exchange intact.
    int from = earlier.size();
    int length = 0;
    while (from > 0) {
      int next = Transcript.render(earlier.subList(from - 1, from)).length() + 2;
      if (length + next > transcriptWindow) {
        break;
      }
      length += next;
      from--;
    }
    return "(earlier turns omitted)\n\n" + Transcript.render(earlier.subList(from, earlier.size()));
  }

  static String oneLine(@org.jspecify.annotations.Nullable String text) {
    return text == null ? "" : text.replace('\n', ' ').strip();
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render prompt JSON", e);
    }
  }
}
