package dev.cohort.testkit.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;

/**
 * A chat script for {@link FakeOpenAiServer#otherwise}: answers a role-play turn with one
 * well-formed turn by the speaker its prompt names ("You are NAME."), with a thought, both made
 * from the speaker and the request's seed, so the same request always gets the same answer
 * (whether it came as a direct call or in a batch job) and no two calls' turns repeat each other.
 * The thought reads {@code "<thought of NAME> ..."}, so a test can look for it in other prompts.
 */
public final class RoleplayTurns {
  private static final String SPEAKER_LINE = "You are ";

  private RoleplayTurns() {}

  /** The answer to {@code request}: 300 prompt and 40 completion tokens. */
  public static Reply answer(Recorded request) {
    JsonNode body = request.json();
    String speaker = speaker(body);
    long seed = body.path("seed").asLong();
    ObjectNode turn = FakeOpenAiServer.JSON.createObjectNode()
        .put("thought", thoughtMarker(speaker) + " wonders about rain (" + Long.toHexString(seed) + ").")
        .put("text", "It may rain later, says " + speaker + " (" + Long.toHexString(seed) + ").");
    return Reply.completion(turn.toString(), "stop", 300, 40, 0);
  }

  /** The mark every thought of {@code speaker} starts with. */
  public static String thoughtMarker(String speaker) {
    return "<thought of " + speaker + ">";
  }

  /** The speaker a role-play prompt in {@code body} is written for. */
  public static String speaker(JsonNode body) {
    for (JsonNode message : body.path("messages")) {
      String content = message.path("content").asText();
      if (content.startsWith(SPEAKER_LINE)) {
        int end = content.indexOf(".\n");
        return content.substring(SPEAKER_LINE.length(), end < 0 ? content.length() : end);
      }
    }
    throw new AssertionError("the request has no role-play prompt ('You are NAME.'): " + body);
  }
}
