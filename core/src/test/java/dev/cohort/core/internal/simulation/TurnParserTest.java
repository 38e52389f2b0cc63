package dev.cohort.core.internal.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.internal.simulation.TurnParser.ParsedTurn;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnParserTest {
  private static final List<String> NAMES = List.of("Ada Lovelace", "Bob");

  @Test
  void readsBareJson() {
    List<ParsedTurn> turns = TurnParser.parse(
        "{\"turns\":[{\"speaker\":\"Ada Lovelace\",\"thought\":\"hm\",\"text\":\"Hello\"},"
            + "{\"speaker\":\"Bob\",\"thought\":\"\",\"text\":\"Hi\"}]}", NAMES);
    assertThat(turns).containsExactly(new ParsedTurn("Ada Lovelace", "hm", "Hello"), new ParsedTurn("Bob", null, "Hi"));
  }

  @Test
  void readsJsonInsideACodeFenceWithProseAround() {
    List<ParsedTurn> turns = TurnParser.parse(
        "Here you go:\n```json\n{\"turns\":[{\"speaker\":\"Bob\",\"text\":\"Quote: \\\"x\\\" {braces}\"}]}\n```\nDone.",
        NAMES);
    assertThat(turns).containsExactly(new ParsedTurn("Bob", null, "Quote: \"x\" {braces}"));
  }

  @Test
  void fallsBackToNameColonParagraphs() {
    List<ParsedTurn> turns = TurnParser.parse(
        "**Ada Lovelace:** *Careful now*\n\"We should measure first.\"\n\nbob: I agree.\nIt is wise.", NAMES);
    assertThat(turns).containsExactly(
        new ParsedTurn("Ada Lovelace", "Careful now", "We should measure first."),
        new ParsedTurn("Bob", null, "I agree.\nIt is wise."));
  }

  @Test
  void linesNamingSomeoneElseStayInsideTheText() {
    List<ParsedTurn> turns = TurnParser.parse("Bob: Note: this matters.\nTime: now", NAMES);
    assertThat(turns).containsExactly(new ParsedTurn("Bob", null, "Note: this matters.\nTime: now"));
  }

  @Test
  void answersWithoutTurnsGiveNone() {
    assertThat(TurnParser.parse("I cannot help with that.", NAMES)).isEmpty();
    assertThat(TurnParser.parse("{\"turns\": \"nope\"}", NAMES)).isEmpty();
    assertThat(TurnParser.parse("{\"turns\":[{\"speaker\":\"Bob\",\"text\":\"cut off", NAMES)).isEmpty();
  }
}
