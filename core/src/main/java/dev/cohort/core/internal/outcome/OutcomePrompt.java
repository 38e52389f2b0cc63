package dev.cohort.core.internal.outcome;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.DeclaredOutcome.Per;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Transcript;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.port.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The extraction prompt. The system message holds the instructions and the questions, the same for
 * every simulation of the batch (so providers discount it as a repeated prefix); the user message
 * holds this simulation's participants and transcript.
 */
final class OutcomePrompt {
  private OutcomePrompt() {}

  static String system(BatchRequest request, List<DeclaredOutcome> outcomes) {
    StringBuilder s = new StringBuilder();
    s.append("You are a careful research assistant. You read the transcript of a ")
        .append(request.interactionStyle())
        .append(" and answer questions about it, from the transcript alone.\n\n")
        .append("Context of the conversation:\n").append(request.context()).append("\n\n")
        .append("Answer with one JSON object with exactly these keys:\n");
    for (DeclaredOutcome o : outcomes) {
      s.append("- \"").append(o.name()).append("\" (").append(describe(o)).append("): ").append(o.question())
          .append('\n');
    }
    s.append("\nA value \"for each participant\" is an object with one key per participant, the participant's"
        + " name exactly as listed, and that participant's value. Answer with the JSON object only.");
    return s.toString();
  }

  static String user(Participants participants, List<Turn> turns) {
    StringBuilder s = new StringBuilder("Participants:\n");
    for (Map.Entry<String, Entity> p : participants.byLabel().entrySet()) {
      s.append("- ").append(p.getKey());
      String description = p.getValue().description();
      if (description != null && !description.isBlank()) {
        s.append(": ").append(description);
      }
      s.append('\n');
    }
    s.append("\nTranscript:\n").append(Transcript.render(turns));
    return s.toString();
  }

  static List<ChatMessage> reask(List<ChatMessage> messages, String answer, List<String> problems) {
    List<ChatMessage> next = new ArrayList<>(messages);
    next.add(ChatMessage.assistant(answer));
    next.add(ChatMessage.user("That answer cannot be used: " + String.join("; ", problems)
        + ". Answer again with the whole JSON object in the required form."));
    return next;
  }

  private static String describe(DeclaredOutcome o) {
    String value = switch (o.type()) {
      case BOOLEAN -> "true or false";
      case INTEGER -> "a whole number" + range(o);
      case NUMBER -> "a number" + range(o);
      case ENUM -> "one of " + String.join(", ", o.values().stream().map(v -> "\"" + v + "\"").toList());
      case ENTITY -> "the exact name of one participant";
      case STRING -> "text";
    };
    return o.per() == Per.PARTICIPANT ? "for each participant: " + value : value;
  }

  private static String range(DeclaredOutcome o) {
    boolean whole = o.type() == DeclaredOutcome.Type.INTEGER;
    String min = o.min() == null ? null : whole ? String.valueOf(o.min().longValue()) : String.valueOf(o.min());
    String max = o.max() == null ? null : whole ? String.valueOf(o.max().longValue()) : String.valueOf(o.max());
    if (min != null && max != null) {
      return " from " + min + " to " + max;
    }
    if (min != null) {
      return " of at least " + min;
    }
    return max != null ? " of at most " + max : "";
  }
}
