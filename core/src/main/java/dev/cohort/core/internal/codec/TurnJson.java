package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a simulation's turns: an array of {@code {round, turn_number, speaker_id,
 * speaker_name, thought, text}}, {@code thought} null when the model gave none.
 */
public final class TurnJson {
  private static final List<String> FIELDS =
      List.of("round", "turn_number", "speaker_id", "speaker_name", "thought", "text");

  private TurnJson() {}

  /** Writes {@code turns} as an array. */
  public static void write(JsonGenerator gen, List<Turn> turns) throws IOException {
    gen.writeStartArray();
    for (Turn turn : turns) {
      gen.writeStartObject();
      gen.writeNumberField("round", turn.round());
      gen.writeNumberField("turn_number", turn.turnNumber());
      gen.writeStringField("speaker_id", turn.speakerId());
      gen.writeStringField("speaker_name", turn.speakerName());
      gen.writeStringField("thought", turn.thought());
      gen.writeStringField("text", turn.text());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  /** The JSON text of {@code turns}, as a store keeps them. */
  public static String write(List<Turn> turns) {
    return JsonText.write(gen -> write(gen, turns));
  }

  /** Appends the turns stored by {@link #write(List)} in {@code json} to {@code out}. */
  public static void readStored(String json, List<Turn> out) {
    out.addAll(JsonText.readStored(json, "turns", TurnJson::read));
  }

  /** The turns stored by {@link #write(JsonGenerator, List)} as {@code node}, inside a larger stored document. */
  static List<Turn> readStored(JsonNode node) {
    return read(node);
  }

  private static List<Turn> read(JsonNode node) {
    List<FieldError> errors = new ArrayList<>();
    if (!node.isArray()) {
      throw new ValidationException("turns", "must be an array, was " + JsonFields.describe(node));
    }
    List<Turn> turns = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String path = "turns[" + i + "]";
      JsonFields fields = JsonFields.ofStored(node.get(i), path, path + ".", errors);
      if (fields == null) {
        continue;
      }
      int before = errors.size();
      fields.rejectUnknown(FIELDS);
      Integer round = fields.integer("round", true, Integer.MAX_VALUE);
      Integer turnNumber = fields.integer("turn_number", true, Integer.MAX_VALUE);
      String speakerId = fields.text("speaker_id", true);
      String speakerName = fields.text("speaker_name", true);
      String thought = fields.text("thought", false);
      String text = fields.text("text", true);
      if (errors.size() == before && round != null && turnNumber != null && speakerId != null
          && speakerName != null && text != null) {
        try {
          turns.add(new Turn(round, turnNumber, speakerId, speakerName, thought, text));
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError(path, e.getMessage()));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return turns;
  }
}
