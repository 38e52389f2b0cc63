package dev.cohort.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A response body that holds back the status line until it must send it. Up to {@code buffer}
 * bytes are kept in memory; a body that ends within them goes out with a {@code Content-Length},
 * a longer one is streamed chunked from the moment it outgrows the buffer. Until then nothing has
 * reached the client, so a failure (the batch was deleted meanwhile, say) can still be answered
 * with a proper error status instead of a half-written 200.
 */
final class ResponseStream extends OutputStream {
  private final HttpExchange exchange;
  private final int status;
  private final int bufferLimit;
  private final boolean withoutBody;
  private @Nullable ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private @Nullable OutputStream body;
  private boolean finished;

  /**
   * @param bufferLimit bytes held back before streaming starts; 0 streams from the first byte
   * @param withoutBody whether to send headers only, as the answer to a HEAD request must
   */
  ResponseStream(HttpExchange exchange, int status, int bufferLimit, boolean withoutBody) {
    this.exchange = exchange;
    this.status = status;
    this.bufferLimit = bufferLimit;
    this.withoutBody = withoutBody;
  }

  /** Whether the status line and headers have been sent, so the status can no longer change. */
  boolean committed() {
    return body != null;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (finished) {
      throw new IOException("the response is already finished");
    }
    ByteArrayOutputStream held = buffer;
    if (withoutBody) {
      return;
    }
    if (held != null && held.size() + length > bufferLimit) {
      commit(0);
    }
    OutputStream out = body;
    if (out != null) {
      out.write(bytes, offset, length);
    } else if (held != null) {
      held.write(bytes, offset, length);
    }
  }

  /** Pushes streamed bytes to the client; bytes still held back stay held back. */
  @Override
  public void flush() throws IOException {
    OutputStream out = body;
    if (out != null) {
      out.flush();
    }
  }

  /** Sends whatever is held back, with its exact length, and ends the body. */
  @Override
  public void close() throws IOException {
    if (finished) {
      return;
    }
    ByteArrayOutputStream held = buffer;
    if (held != null) {
      commit(held.size() == 0 || withoutBody ? -1 : held.size());
    }
    finished = true;
    OutputStream out = body;
    if (out != null) {
      out.close();
    }
  }

  /** Drops what is held back; only valid before the response is committed. */
  void discard() {
    if (committed()) {
      throw new IllegalStateException("the response is already committed");
    }
    finished = true;
    buffer = null;
  }

  // length: as for HttpExchange.sendResponseHeaders, 0 for chunked and -1 for no body.
  private void commit(long length) throws IOException {
    ByteArrayOutputStream held = buffer;
    buffer = null;
    exchange.sendResponseHeaders(status, length);
    OutputStream out = exchange.getResponseBody();
    body = out;
    if (held != null && held.size() > 0) {
      held.writeTo(out);
    }
  }
}
