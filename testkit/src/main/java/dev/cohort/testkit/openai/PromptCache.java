package dev.cohort.testkit.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A model of a provider's prompt cache for {@link FakeOpenAiServer}: it remembers every prompt it
 * has seen and reports, for each new one, how many of its tokens a cache would serve, namely the
 * longest prefix it shares with an earlier prompt. Tokens are counted as characters / 4 (the
 * prompt rounded up, the cached prefix rounded down). {@link #exact()} counts every whole token of
 * the shared prefix; {@link #openAiRules()} applies OpenAI's published rules: nothing below 1,024
 * prompt tokens, then the prefix in steps of 128 tokens.
 *
 * <p>A prompt is its messages in order, each as its role, a line feed, its content and a line
 * feed: a change in any message ends the shared prefix there. Thread-safe.
 */
public final class PromptCache {
  private final long minimumTokens;
  private final long blockTokens;
  private final List<String> seen = new ArrayList<>();

  private PromptCache(long minimumTokens, long blockTokens) {
    this.minimumTokens = minimumTokens;
    this.blockTokens = blockTokens;
  }

  /** Every whole token of the longest prefix shared with an earlier prompt is cached. */
  public static PromptCache exact() {
    return new PromptCache(0, 1);
  }

  /** OpenAI's rules: prompts of 1,024 tokens or more, cached prefixes in steps of 128 tokens. */
  public static PromptCache openAiRules() {
    return new PromptCache(1024, 128);
  }

  /**
   * What one prompt costs.
   *
   * @param promptTokens its tokens
   * @param cachedTokens the part of them served from the cache
   */
  public record Usage(long promptTokens, long cachedTokens) {}

  /** The usage of the Chat Completions request {@code body}, remembering its prompt for later ones. */
  public Usage measure(JsonNode body) {
    StringBuilder prompt = new StringBuilder();
    for (JsonNode message : body.path("messages")) {
      prompt.append(message.path("role").asText()).append('\n').append(message.path("content").asText()).append('\n');
    }
    return measure(prompt.toString());
  }

  /** The usage of {@code prompt}, remembering it for later ones. */
  public synchronized Usage measure(String prompt) {
    long longest = 0;
    for (String earlier : seen) {
      longest = Math.max(longest, sharedPrefix(earlier, prompt));
    }
    seen.add(prompt);
    long tokens = (prompt.length() + 3) / 4;
    long cached = longest / 4;
    if (tokens < minimumTokens) {
      cached = 0;
    }
    cached -= cached % blockTokens;
    return new Usage(tokens, Math.min(cached, tokens));
  }

  private static int sharedPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      if (a.charAt(i) != b.charAt(i)) {
        return i;
      }
    }
    return n;
  }
}
