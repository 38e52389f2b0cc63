package dev.cohort.core.internal.simulation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cohort.core.internal.simulation.TurnParser.ParsedTurn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the usual answer, {@code {"turns":[{"speaker":"…","text":"…","thought":"…"}, …]}}, with
 * Jackson's streaming parser, straight into {@link ParsedTurn}s: no tree of nodes per answer, which
 * was the largest single cost of parsing an answer in a makespan profile. It reads only the shape
 * whose meaning is plain — each turn an object with {@code speaker} and {@code text} strings, no
 * key twice — and answers {@link #UNUSUAL} for anything else (a missing or non-string speaker or
 * text, a repeated key, a turn that is not an object), so the caller reads those through the tree,
 * whose rules for them stay the only ones. Like the tree, it reads the first JSON value only.
 */
final class TurnsJsonReader {
  /** The answer is valid JSON of a shape this reader leaves to the tree. */
  static final List<ParsedTurn> UNUSUAL = List.of(new ParsedTurn("", null, ""));

  private TurnsJsonReader() {}

  /**
   * The turns of the JSON object {@code json}; null when it is not valid JSON or has no {@code
   * turns} array (as the tree reading answers); {@link #UNUSUAL} when the tree must decide.
   */
  static @Nullable List<ParsedTurn> read(JsonFactory factory, String json) {
    try (JsonParser p = factory.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return UNUSUAL;
      }
      List<ParsedTurn> turns = null;
      boolean turnsSeen = false;
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("turns".equals(name)) {
          if (turnsSeen) {
            return UNUSUAL;
          }
          turnsSeen = true;
          if (value == JsonToken.START_ARRAY) {
            turns = readTurns(p);
            if (turns == UNUSUAL) {
              return UNUSUAL;
            }
          } else {
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT) {
        return UNUSUAL;
      }
      return turns;
    } catch (IOException e) {
      // Not JSON: the tree reading fails on the same tokens.
      return null;
    }
  }

  /** The turns of the array the parser has just entered, or {@link #UNUSUAL}. */
  private static List<ParsedTurn> readTurns(JsonParser p) throws IOException {
    List<ParsedTurn> turns = new ArrayList<>(4);
    JsonToken token;
    while ((token = p.nextToken()) == JsonToken.START_OBJECT) {
      String speaker = null;
      String text = null;
      String thought = null;
      boolean thoughtSeen = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "speaker" -> {
            if (speaker != null || value != JsonToken.VALUE_STRING) {
              return UNUSUAL;
            }
            speaker = p.getText();
          }
          case "text" -> {
            if (text != null || value != JsonToken.VALUE_STRING) {
              return UNUSUAL;
            }
            text = p.getText();
          }
          case "thought" -> {
            if (thoughtSeen) {
              return UNUSUAL;
            }
            thoughtSeen = true;
            // As the tree reading: a thought that is not a non-blank string is none.
            if (value == JsonToken.VALUE_STRING) {
              String t = p.getText();
              thought = t.isBlank() ? null : t.strip();
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      if (speaker == null || text == null) {
        return UNUSUAL;
      }
      turns.add(new ParsedTurn(speaker.strip(), thought, text.strip()));
    }
    return token == JsonToken.END_ARRAY ? turns : UNUSUAL;
  }
}
