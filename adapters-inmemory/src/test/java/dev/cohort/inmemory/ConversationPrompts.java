package dev.cohort.inmemory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import java.util.ArrayList;
import java.util.List;

/** Builds prompts in the simulation engine's format, as {@link SimulatedLlm} reads them. */
final class ConversationPrompts {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConversationPrompts() {}

  /** A request for turns {@code first} to {@code first + speakers - 1}, spoken by {@code speakers} in order. */
  static ChatRequest request(String context, List<Entity> participants, List<String> speakers, int first) {
    String system = "You write the dialogue of a discussion in English.\n"
        + "Answer with JSON only.\n\n"
        + "Context:\n" + context;
    StringBuilder user = new StringBuilder("Participants:\n");
    for (Entity e : participants) {
      user.append("- ").append(e.name()).append(": ").append(e.description() == null ? "" : e.description());
      if (!e.attributes().isEmpty()) {
        user.append(" | attributes: ").append(json(e.attributes()));
      }
      user.append('\n');
    }
    user.append('\n')
        .append("Speakers, one per turn, in order: ").append(json(speakers)).append('\n')
        .append("Write turns ").append(first).append(" to ").append(first + speakers.size() - 1)
        .append(" of the conversation. Continue, never repeat earlier turns.\n");
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.system(system));
    messages.add(ChatMessage.user(user.toString()));
    return ChatRequest.of(messages);
  }

  /** The names of {@code participants}, rotating, for {@code count} turns. */
  static List<String> rotation(List<Entity> participants, int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(participants.get(i % participants.size()).name());
    }
    return out;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
