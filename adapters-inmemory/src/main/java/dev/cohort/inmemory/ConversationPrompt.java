package dev.cohort.inmemory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.port.ChatMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SimulatedLlm} reads from a conversation prompt of the simulation engine, and nothing
 * else:
 *
 * <ul>
 *   <li>the system message (the first message) has a line {@code Context:} followed by the batch's
 *       context up to the end of the message;
 *   <li>the last user message that has them holds a line {@code Participants:} followed by one line
 *       {@code - <name>: <description>} per participant (an attributes JSON object may follow
 *       after {@code " | attributes: "}), a line {@code Speakers, one per turn, in order: [...]}
 *       (a JSON array of names) and a line {@code Write turns <first> to <last> ...} (or, for one
 *       role-play turn, {@code Write turn <number> ...}).
 * </ul>
 *
 * Only the speakers line is required; without context, participants or turn numbers the prompt
 * reads as having none, and turns are numbered from 1.
 *
 * @param context the batch's context, or empty
 * @param participants the participants as listed, in order
 * @param speakers the speaker of each turn to write, in order
 * @param firstTurn the number of the first turn to write
 */
record ConversationPrompt(String context, List<Participant> participants, List<String> speakers, int firstTurn) {
  static final String CONTEXT_MARKER = "Context:";
  static final String PARTICIPANTS_MARKER = "Participants:";
  static final String SPEAKERS_MARKER = "Speakers, one per turn, in order:";
  static final String ATTRIBUTES_SEPARATOR = " | attributes: ";
  private static final Pattern TURN_RANGE = Pattern.compile("Write turns? (\\d+)");
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, @Nullable Object>> OBJECT = new TypeReference<>() {};
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Most attribute texts kept parsed (a pool of entities' worth; beyond it each call parses). */
  static final int MAX_KEPT_ATTRIBUTES = 4_096;
  private static final Map<String, Map<String, @Nullable Object>> KEPT_ATTRIBUTES = new ConcurrentHashMap<>();

  /**
   * One participant as the prompt lists it.
   *
   * @param name the name the model must use
   * @param description who they are, possibly empty
   * @param attributes their attributes, possibly empty
   */
  record Participant(String name, String description, Map<String, @Nullable Object> attributes) {}

  ConversationPrompt {
    participants = List.copyOf(participants);
    speakers = List.copyOf(speakers);
  }

  /** The prompt in {@code messages}, or empty when it has no speakers line. */
  static Optional<ConversationPrompt> read(List<ChatMessage> messages) {
    @Nullable List<String> speakers = null;
    @Nullable String instructions = null;
    for (int i = messages.size() - 1; i >= 0 && speakers == null; i--) {
      ChatMessage message = messages.get(i);
      if (message.role() == ChatMessage.Role.USER) {
        speakers = speakers(message.content());
        instructions = message.content();
      }
    }
    if (speakers == null || instructions == null) {
      return Optional.empty();
    }
    List<String> names = List.copyOf(speakers);
    List<Participant> participants = participants(instructions, names);
    return Optional.of(new ConversationPrompt(context(messages), participants, names, firstTurn(instructions)));
  }

  private static String context(List<ChatMessage> messages) {
    for (ChatMessage message : messages) {
      if (message.role() != ChatMessage.Role.SYSTEM) {
        continue;
      }
      List<String> lines = lines(message.content());
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.startsWith(CONTEXT_MARKER)) {
          StringBuilder context = new StringBuilder(line.substring(CONTEXT_MARKER.length()).strip());
          for (int j = i + 1; j < lines.size(); j++) {
            context.append('\n').append(lines.get(j));
          }
          return context.toString().strip();
        }
      }
      return "";
    }
    return "";
  }

  /**
   * The lines of {@code text}, split at {@code \n} or {@code \r\n}, trailing empty lines kept. A
   * scan for the line feed rather than a regular expression: this runs three times per simulated
   * call, and matching {@code \r?\n} at every character cost more than the rest of the call.
   */
  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (true) {
      int feed = text.indexOf('\n', start);
      int end = feed < 0 ? text.length() : feed;
      int cut = end > start && text.charAt(end - 1) == '\r' && feed >= 0 ? end - 1 : end;
      lines.add(text.substring(start, cut));
      if (feed < 0) {
        return lines;
      }
      start = feed + 1;
    }
  }

  private static @Nullable List<String> speakers(String content) {
    for (String line : lines(content)) {
      String stripped = line.strip();
      if (stripped.startsWith(SPEAKERS_MARKER)) {
        try {
          List<String> names = JSON.readValue(
              stripped.substring(SPEAKERS_MARKER.length()).strip(), NAMES);
          return names == null || names.contains(null) ? null : names;
        } catch (JsonProcessingException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static List<Participant> participants(String content, List<String> speakers) {
    List<Participant> out = new ArrayList<>();
    boolean inBlock = false;
    for (String line : lines(content)) {
      String stripped = line.strip();
      if (!inBlock) {
        inBlock = stripped.equals(PARTICIPANTS_MARKER);
      } else if (stripped.startsWith("- ")) {
        out.add(participant(stripped.substring(2), speakers));
      } else {
        break;
      }
    }
    return out;
  }

  private static Participant participant(String entry, List<String> speakers) {
    // A listed speaker's name wins over the first colon, so a name may itself contain one.
    @Nullable String name = null;
    for (String speaker : speakers) {
      boolean matches = entry.startsWith(speaker + ":") || entry.equals(speaker);
      if (matches && (name == null || speaker.length() > name.length())) {
        name = speaker;
      }
    }
    String rest;
    if (name != null) {
      rest = entry.length() > name.length() ? entry.substring(name.length() + 1) : "";
    } else {
      int colon = entry.indexOf(':');
      name = (colon < 0 ? entry : entry.substring(0, colon)).strip();
      rest = colon < 0 ? "" : entry.substring(colon + 1);
    }
    Map<String, @Nullable Object> attributes = Map.of();
    int separator = rest.lastIndexOf(ATTRIBUTES_SEPARATOR);
    if (separator >= 0) {
      attributes = attributes(rest.substring(separator + ATTRIBUTES_SEPARATOR.length()));
      rest = rest.substring(0, separator);
    }
    return new Participant(name, rest.strip(), attributes);
  }

  /**
   * The attributes object {@code json}. Parsed once per distinct text while fewer than {@value
   * #MAX_KEPT_ATTRIBUTES} are kept: the same entities' attributes come back call after call, and
   * parsing them again was an eighth of this model's CPU per call. What is kept is unmodifiable, as
   * it is shared between calls.
   */
  private static Map<String, @Nullable Object> attributes(String json) {
    Map<String, @Nullable Object> kept = KEPT_ATTRIBUTES.get(json);
    if (kept != null) {
      return kept;
    }
    Map<String, @Nullable Object> parsed;
    try {
      Map<String, @Nullable Object> read = JSON.readValue(json.strip(), OBJECT);
      parsed = read == null ? Map.of() : Collections.unmodifiableMap(read);
    } catch (JsonProcessingException e) {
      parsed = Map.of();
    }
    if (KEPT_ATTRIBUTES.size() < MAX_KEPT_ATTRIBUTES) {
      KEPT_ATTRIBUTES.putIfAbsent(json, parsed);
    }
    return parsed;
  }

  private static int firstTurn(String content) {
    Matcher m = TURN_RANGE.matcher(content);
    if (m.find()) {
      try {
        return Math.max(1, Integer.parseInt(m.group(1)));
      } catch (NumberFormatException e) {
        return 1;
      }
    }
    return 1;
  }
}
