package dev.cohort.testkit.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;

/**
 * A chat script for {@link FakeOpenAiServer#otherwise}: answers a scripted round with well-formed
 * turns by exactly the speakers its prompt asks for, each turn's text made from the speaker, the
 * request's seed and the turn's place, so the same request always gets the same answer (whether
 * it came as a direct call or in a batch job) and no two calls' turns repeat each other.
 */
public final class ScriptedTurns {
  private static final String SPEAKERS_LINE = "Speakers, one per turn, in order: ";

  private ScriptedTurns() {}

  /** The answer to {@code request}: 400 prompt and 60 completion tokens. */
  public static Reply answer(Recorded request) {
    JsonNode body = request.json();
    String speakers = "[]";
    for (JsonNode message : body.path("messages")) {
      String content = message.path("content").asText();
      int at = content.indexOf(SPEAKERS_LINE);
      if (at >= 0) {
        int end = content.indexOf('\n', at);
        speakers = content.substring(at + SPEAKERS_LINE.length(), end < 0 ? content.length() : end);
      }
    }
    long seed = body.path("seed").asLong();
    ObjectNode root = FakeOpenAiServer.JSON.createObjectNode();
    ArrayNode turns = root.putArray("turns");
    int turn = 0;
    for (JsonNode name : names(speakers)) {
      turn++;
      turns.addObject()
          .put("speaker", name.asText())
          .put("thought", "")
          .put("text", name.asText() + " remarks on the clouds (" + Long.toHexString(seed) + ", turn " + turn + ").");
    }
    return Reply.completion(root.toString(), "stop", 400, 60, 0);
  }

  private static JsonNode names(String speakers) {
    try {
      return FakeOpenAiServer.JSON.readTree(speakers);
    } catch (JsonProcessingException e) {
      throw new AssertionError("the prompt's speakers line is not a JSON array: " + speakers, e);
    }
  }
}
