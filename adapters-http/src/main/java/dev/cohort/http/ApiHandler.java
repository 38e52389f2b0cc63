package dev.cohort.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.batch.ValidationException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler the JDK server calls: routes the request and turns every failure into the error
 * envelope with its status. Bad input is a 4xx with a message meant for the client; anything else
 * is a 500 whose details go to the log only, so no stack trace or internal text ever leaves the
 * server. Neither headers nor bodies are logged.
 *
 * <p>When a streamed response fails after its first bytes were sent, the status can no longer
 * change: the handler then throws, and the JDK server drops the connection without ending the
 * body, so the client sees a truncated transfer rather than a complete-looking one.
 */
final class ApiHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final Router router;
  private final int maxBodyBytes;

  ApiHandler(Router router, int maxBodyBytes) {
    this.router = router;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(HttpExchange http) throws IOException {
    try {
      respond(http);
    } catch (RuntimeException | Error e) {
      // Even the error answer failed. An IOException makes the JDK server close the connection;
      // anything else would leave the client waiting on it.
      LOG.error("answering {} {} failed", http.getRequestMethod(), http.getRequestURI().getRawPath(), e);
      throw new IOException("answering the request failed", e);
    }
  }

  private void respond(HttpExchange http) throws IOException {
    ApiExchange exchange = new ApiExchange(http, maxBodyBytes);
    boolean dropConnection;
    try {
      router.dispatch(exchange);
      dropConnection = false;
    } catch (ApiException e) {
      dropConnection = fail(exchange, e.status(), e.getMessage(), List.of(), e.headers());
    } catch (ValidationException e) {
      dropConnection = fail(exchange, 400, e.getMessage(), e.errors(), Map.of());
    } catch (NotFoundException e) {
      dropConnection = fail(exchange, 404, e.getMessage(), List.of(), Map.of());
    } catch (IOException e) {
      // The client went away or the connection broke: there is no one left to answer.
      dropConnection = true;
    } catch (RuntimeException | Error e) {
      // Errors too: a handler thread that dies without answering leaves the client hanging.
      LOG.error("{} {} failed", exchange.method(), exchange.rawPath(), e);
      dropConnection = fail(exchange, 500, "the server could not handle this request; the reason is in its log",
          List.of(), Map.of());
    }
    if (dropConnection) {
      throw new IOException("the response failed after it started; dropping the connection");
    }
    http.close();
  }

  /** Answers with an error, or returns true when it is too late to answer. */
  private static boolean fail(ApiExchange exchange, int status, String message, List<FieldError> errors,
      Map<String, String> headers) throws IOException {
    if (exchange.committed()) {
      LOG.warn("{} {} failed after the response started; dropping the connection", exchange.method(),
          exchange.rawPath());
      return true;
    }
    exchange.error(status, message, errors, headers);
    return false;
  }
}
