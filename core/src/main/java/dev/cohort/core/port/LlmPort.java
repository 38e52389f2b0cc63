package dev.cohort.core.port;

import java.util.Optional;

/**
 * A language model that answers one chat request at a time. Implementations must be thread-safe:
 * the runner calls {@link #chat} from many threads at once.
 */
@FunctionalInterface
public interface LlmPort {
  /**
   * Sends one request and blocks until the answer arrives.
   *
   * @throws RetryableLlmException when trying again later can succeed (timeouts, I/O, 408, 409,
   *     429 rate limit, 5xx)
   * @throws BatchFatalLlmException when no call of the batch can succeed (401, 403, 429
   *     insufficient quota)
   * @throws CallFatalLlmException when this call cannot succeed (400, 404, 422, context too long)
   */
  ChatResponse chat(ChatRequest request);

  /** A short, secret-free description of the model for logs and notices, such as "OpenAI gpt-4o-mini". */
  default String describe() {
    return getClass().getSimpleName();
  }

  /**
   * The model this port calls when a request names none, as a price table would name it (such as
   * {@code gpt-4o-mini}); empty when the port cannot say. Used to price an estimate before any
   * call has been made.
   */
  default Optional<String> modelName() {
    return Optional.empty();
  }

  /**
   * Where this model answers, for response-cache keys and manifests: the provider's base URL, or a
   * name for an offline model. Never holds secrets. Default: {@code "local:"} and {@link #describe()}.
   */
  default String endpoint() {
    return "local:" + describe();
  }

  /**
   * The request as this model sends it, for response-cache keys: every parameter that decides the
   * answer (the model actually used, sampling settings, response format, seed, extra fields) and
   * the messages. An HTTP adapter returns the exact body it sends. Default: the request's {@link
   * ChatRequest#canonicalJson() canonical JSON}.
   */
  default String requestSignature(ChatRequest request) {
    return request.canonicalJson();
  }
}
