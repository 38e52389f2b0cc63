package dev.cohort.http;

import dev.cohort.core.batch.ValidationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps a method and a path to a handler. A pattern is a path whose {@code {name}} segments match
 * any one segment and become path parameters; a parameter names the field in errors, so it is
 * spelt as the API spells fields ({@code batch_id}). A path that matches no pattern is a 404, a
 * method a matching pattern does not serve is a 405 listing those it does.
 *
 * <p>Every route but the public ones (health) passes the guard first, and so does a path that
 * matches nothing: a client without a valid token learns nothing, not even which paths exist.
 */
final class Router {
  /** Serves one route. */
  @FunctionalInterface
  interface Handler {
    void handle(ApiExchange exchange) throws IOException;
  }

  /** Checks a request before a guarded route sees it, throwing to refuse it. */
  @FunctionalInterface
  interface Guard {
    void check(ApiExchange exchange);
  }

  /** Longest id accepted in a path, the longest an entity id may be. */
  static final int MAX_ID_LENGTH = 200;

  private record Route(List<String> pattern, Map<String, Handler> handlers, boolean guarded) {
    @Nullable Map<String, String> match(List<String> segments) {
      if (segments.size() != pattern.size()) {
        return null;
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      for (int i = 0; i < pattern.size(); i++) {
        String expected = pattern.get(i);
        String actual = segments.get(i);
        if (expected.startsWith("{")) {
          if (actual.isEmpty()) {
            return null;
          }
          parameters.put(expected.substring(1, expected.length() - 1), actual);
        } else if (!expected.equals(actual)) {
          return null;
        }
      }
      return parameters;
    }

    String allowed() {
      return String.join(", ", handlers.keySet());
    }
  }

  private final List<Route> routes = new ArrayList<>();
  private final Guard guard;

  Router(Guard guard) {
    this.guard = guard;
  }

  /** Adds a guarded route. */
  Router route(String method, String pattern, Handler handler) {
    return add(method, pattern, handler, true);
  }

  /** Adds a route that no guard checks. */
  Router publicRoute(String method, String pattern, Handler handler) {
    return add(method, pattern, handler, false);
  }

  private Router add(String method, String pattern, Handler handler, boolean guarded) {
    List<String> segments = UriComponents.pathSegments(pattern);
    for (Route route : routes) {
      if (route.pattern().equals(segments)) {
        if (route.guarded() != guarded) {
          throw new IllegalArgumentException("every method of " + pattern + " must be guarded alike");
        }
        route.handlers().put(method, handler);
        return this;
      }
    }
    Map<String, Handler> handlers = new LinkedHashMap<>();
    handlers.put(method, handler);
    routes.add(new Route(segments, handlers, guarded));
    return this;
  }

  /**
   * Runs the handler for the request.
   *
   * @throws ApiException 404 for an unknown path, 405 for a method the path does not serve, or
   *     whatever the guard or the handler throws
   * @throws ValidationException for a badly encoded path or an unacceptable id in it
   */
  void dispatch(ApiExchange exchange) throws IOException {
    List<String> segments = UriComponents.pathSegments(exchange.rawPath());
    for (Route route : routes) {
      Map<String, String> parameters = route.match(segments);
      if (parameters == null) {
        continue;
      }
      if (route.guarded()) {
        guard.check(exchange);
      }
      Handler handler = route.handlers().get(exchange.method());
      if (handler == null) {
        throw ApiException.methodNotAllowed(route.allowed());
      }
      parameters.forEach(Router::checkId);
      exchange.pathParameters(parameters);
      handler.handle(exchange);
      return;
    }
    guard.check(exchange);
    throw ApiException.noRoute();
  }

  private static void checkId(String name, String id) {
    if (id.length() > MAX_ID_LENGTH) {
      throw new ValidationException(name, "is " + id.length() + " characters; ids have at most " + MAX_ID_LENGTH);
    }
    if (id.equals(".") || id.equals("..") || id.isBlank()) {
      throw new ValidationException(name, "is not a valid id");
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        throw new ValidationException(name, "contains a control character");
      }
    }
  }
}
