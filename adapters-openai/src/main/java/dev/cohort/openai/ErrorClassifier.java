package dev.cohort.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.LlmException;
import dev.cohort.core.port.RetryableLlmException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Turns an unsuccessful HTTP answer into the {@link LlmException} that says what to do about it
 * (DESIGN.md §4):
 *
 * <ul>
 *   <li>401, 403 and a 429 for {@code insufficient_quota} stop the batch: no call can succeed;
 *   <li>a {@code context_length_exceeded} error, 400, 404, 422 and other 4xx fail the call;
 *   <li>408, 409, 429 and 5xx may pass and are retried, after the provider's retry-after if it
 *       gave one;
 *   <li>the provider's {@code x-should-retry} header, when present, overrides the last two.
 * </ul>
 *
 * <p>Messages name the provider, the status, the provider's error code and message and the
 * request id; they never contain the request body, and the API key is scrubbed from them.
 */
final class ErrorClassifier {
  private final ObjectMapper json;
  private final Clock clock;
  private final UnaryOperator<String> scrubber;

  /**
   * @param scrubber removes secrets from a message
   */
  ErrorClassifier(ObjectMapper json, Clock clock, UnaryOperator<String> scrubber) {
    this.json = json;
    this.clock = clock;
    this.scrubber = scrubber;
  }

  /**
   * The exception for an answer with a status outside 2xx.
   *
   * @param provider how the message names the server, such as "OpenAI (model gpt-4o-mini)"
   */
  LlmException classify(
      String provider, int status, HttpHeaders headers, @Nullable String body, @Nullable String requestId) {
    ProviderError error = ProviderError.parse(json, body);
    @Nullable String code = error.codeOrType();
    if (status == 401 || status == 403 || (status == 429 && error.is("insufficient_quota"))) {
      return new BatchFatalLlmException(
          message(provider, status, error, advice(status), requestId), null, status, code, requestId);
    }
    String message = message(provider, status, error, "", requestId);
    if (error.is("context_length_exceeded")) {
      return new CallFatalLlmException(message, null, status, code, requestId);
    }
    boolean retryable = status == 408 || status == 409 || status == 429 || status >= 500;
    String shouldRetry = headers.firstValue("x-should-retry").orElse("").strip().toLowerCase(Locale.ROOT);
    if (shouldRetry.equals("true")) {
      retryable = true;
    } else if (shouldRetry.equals("false")) {
      retryable = false;
    }
    if (retryable) {
      @Nullable Duration retryAfter = RetryAfterHeader.parse(headers, clock);
      return new RetryableLlmException(message, null, status, code, requestId, retryAfter);
    }
    return new CallFatalLlmException(message, null, status, code, requestId);
  }

  /** The exception for a successful status whose body is not a usable answer. */
  RetryableLlmException malformed(String provider, int status, String problem, @Nullable String requestId) {
    return new RetryableLlmException(
        scrubber.apply(provider + " answered HTTP " + status + " with " + problem + requestIdSuffix(requestId)),
        null, status, null, requestId, null);
  }

  private String message(
      String provider, int status, ProviderError error, String advice, @Nullable String requestId) {
    StringBuilder text = new StringBuilder(provider).append(" answered HTTP ").append(status);
    @Nullable String code = error.codeOrType();
    if (code != null) {
      text.append(" (").append(code).append(')');
    }
    @Nullable String said = error.message();
    text.append(": ").append(said != null ? said : "no error message").append(advice);
    text.append(requestIdSuffix(requestId));
    return scrubber.apply(text.toString());
  }

  private static String advice(int status) {
    if (status == 401) {
      return " (check the API key)";
    }
    if (status == 403) {
      return " (the key has no access to this model or endpoint)";
    }
    return " (add credit or raise the quota, then resume the batch)";
  }

  static String requestIdSuffix(@Nullable String requestId) {
    return requestId == null ? "" : " [request id " + requestId + "]";
  }
}
