package dev.cohort.core.internal.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.internal.simulation.TurnParser.ParsedTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming reading of a JSON answer gives what the tree reading gives, on every shape. */
class TurnsJsonReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheUsualAnswerWithoutTheTree() {
    String answer = "{\"turns\":[{\"speaker\":\" Ada \",\"thought\":\" hm \",\"text\":\" Hello \\\"you\\\" \\u00e9\"},"
        + "{\"speaker\":\"Bob\",\"thought\":\"  \",\"text\":\"Hi\",\"mood\":{\"a\":[1,2]}}],\"note\":null}";
    assertThat(TurnsJsonReader.read(JSON.getFactory(), answer)).containsExactly(
        new ParsedTurn("Ada", "hm", "Hello \"you\" \u00e9"), new ParsedTurn("Bob", null, "Hi"));
    assertThat(TurnParser.parseJson(answer)).isEqualTo(TurnParser.parseJsonTree(answer));
  }

  @Test
  void leavesUnusualShapesToTheTree() {
    for (String unusual : List.of(
        "{\"turns\":[{\"speaker\":\"Bob\",\"text\":\"a\",\"text\":\"b\"}]}",
        "{\"turns\":[{\"speaker\":\"Bob\",\"text\":7}]}",
        "{\"turns\":[{\"speaker\":null,\"text\":\"a\"}]}",
        "{\"turns\":[{\"text\":\"a\"}]}",
        "{\"turns\":[\"Bob: a\"]}",
        "{\"turns\":[],\"turns\":[{\"speaker\":\"Bob\",\"text\":\"a\"}]}",
        "{\"turns\":[{\"speaker\":\"Bob\",\"text\":\"a\",\"thought\":\"x\",\"thought\":\"y\"}]}")) {
      assertThat(TurnsJsonReader.read(JSON.getFactory(), unusual)).as(unusual).isSameAs(TurnsJsonReader.UNUSUAL);
      assertThat(TurnParser.parseJson(unusual)).as(unusual).isEqualTo(TurnParser.parseJsonTree(unusual));
    }
    assertThat(TurnParser.parseJson("{\"turns\":[{\"speaker\":\"Bob\",\"text\":\"a\",\"text\":\"b\"}]}"))
        .as("the tree keeps a repeated key's last value").containsExactly(new ParsedTurn("Bob", null, "b"));
  }

  @Test
  void agreesWithTheTreeOnRandomAnswers() {
    Random random = new Random(21);
    int streamed = 0;
    int none = 0;
    for (int i = 0; i < 20_000; i++) {
      String answer = answer(random);
      List<ParsedTurn> expected = TurnParser.parseJsonTree(answer);
      List<ParsedTurn> actual = TurnParser.parseJson(answer);
      if (!Objects.equals(actual, expected)) {
        assertThat(actual).as(answer).isEqualTo(expected);
      }
      if (expected == null) {
        none++;
      } else if (!expected.isEmpty()) {
        streamed++;
      }
    }
    assertThat(streamed).as("answers with turns").isGreaterThan(2_000);
    assertThat(none).as("answers without a turns array or not JSON").isGreaterThan(2_000);
  }

  private static String answer(Random random) {
    StringBuilder json = new StringBuilder("{");
    List<String> fields = new ArrayList<>();
    int n = random.nextInt(4);
    for (int f = 0; f < n; f++) {
      fields.add(random.nextInt(3) == 0 ? "\"x" + random.nextInt(3) + "\":" + value(random, 2)
          : "\"turns\":" + (random.nextInt(6) == 0 ? value(random, 2) : turns(random)));
    }
    json.append(String.join(random.nextInt(8) == 0 ? " , " : ",", fields)).append('}');
    String body = json.toString();
    switch (random.nextInt(10)) {
      case 0 -> body = body.substring(0, random.nextInt(body.length()));
      case 1 -> body = "Here:\n```json\n" + body + "\n```\nDone.";
      case 2 -> body = body + " and {more} }";
      case 3 -> body = "  " + body.replace(",", ",\n  ") + "\n";
      default -> { }
    }
    return body;
  }

  private static String turns(Random random) {
    List<String> turns = new ArrayList<>();
    int n = random.nextInt(5);
    for (int t = 0; t < n; t++) {
      if (random.nextInt(20) == 0) {
        turns.add(value(random, 1));
        continue;
      }
      List<String> fields = new ArrayList<>();
      for (String name : List.of("speaker", "text", "thought", "mood")) {
        int copies = random.nextInt(25) == 0 ? 2 : random.nextInt(12) == 0 ? 0 : 1;
        for (int c = 0; c < copies; c++) {
          fields.add("\"" + name + "\":" + (random.nextInt(10) == 0 ? value(random, 1) : string(random)));
        }
      }
      java.util.Collections.shuffle(fields, random);
      turns.add("{" + String.join(",", fields) + "}");
    }
    return "[" + String.join(",", turns) + "]";
  }

  private static String value(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 8 : 6);
    return switch (kind) {
      case 0 -> "null";
      case 1 -> Integer.toString(random.nextInt(2000) - 1000);
      case 2 -> random.nextBoolean() ? "true" : "false";
      case 3 -> "1.5e2";
      case 4, 5 -> string(random);
      case 6 -> "[" + value(random, depth - 1) + "," + value(random, depth - 1) + "]";
      default -> "{\"k\":" + value(random, depth - 1) + ",\"text\":" + value(random, depth - 1) + "}";
    };
  }

  private static String string(Random random) {
    String[] pieces = {"Hello", " ", "  ", "world", "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "{", "}",
        "Ada", "Bob", ":", "\\t", "é", "x"};
    StringBuilder s = new StringBuilder("\"");
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      s.append(pieces[random.nextInt(pieces.length)]);
    }
    return s.append('"').toString();
  }
}
