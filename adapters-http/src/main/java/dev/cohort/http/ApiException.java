package dev.cohort.http;

import java.util.Map;

/**
 * A request the server refuses with a status other than 400 (which {@link
 * dev.cohort.core.batch.ValidationException} carries): 401, 404 for a path no route knows, 405, 413, 415.
 * The message is shown to the client, so it never holds internal details.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Map<String, String> headers;

  private ApiException(int status, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  static ApiException unauthorized(String message) {
    return new ApiException(401, message, Map.of("WWW-Authenticate", "Bearer realm=\"cohort\""));
  }

  static ApiException noRoute() {
    return new ApiException(404, "no route matches this path; see the REST API section of the README", Map.of());
  }

  static ApiException methodNotAllowed(String allowed) {
    return new ApiException(405, "this method is not allowed on this path; allowed: " + allowed,
        Map.of("Allow", allowed));
  }

  static ApiException tooLarge(long limit) {
    return new ApiException(413, "the request body is larger than the limit of " + limit + " bytes",
        Map.of("Connection", "close"));
  }

  static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, message, Map.of());
  }

  /** The HTTP status to answer with. */
  int status() {
    return status;
  }

  /** Headers to add to the error response, such as {@code Allow} or {@code WWW-Authenticate}. */
  Map<String, String> headers() {
    return headers;
  }
}
