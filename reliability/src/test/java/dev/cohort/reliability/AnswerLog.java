package dev.cohort.reliability;

import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RetryableLlmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model that appends a line to a file for every answer before handing it back, so the number of
 * answers a process received survives the process being killed: a round stored by that process
 * always has its line. It gives at most a set number of answers; calls after those wait until the
 * process is killed, so a worker meant to be killed cannot finish its batch first, however late the
 * kill comes.
 */
final class AnswerLog implements LlmPort {
  private final LlmPort delegate;
  private final Path file;
  private final long limit;
  private final AtomicLong calls = new AtomicLong();
  /** Never opened: what calls beyond the limit wait on. */
  private final CountDownLatch killed = new CountDownLatch(1);

  /** A log of every answer, with no limit. */
  AnswerLog(LlmPort delegate, Path file) {
    this(delegate, file, Long.MAX_VALUE);
  }

  /** A log of at most {@code limit} answers. */
  AnswerLog(LlmPort delegate, Path file, long limit) {
    this.delegate = delegate;
    this.file = file;
    this.limit = limit;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    if (calls.incrementAndGet() > limit) {
      try {
        killed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new RetryableLlmException("interrupted after the answer log's limit of " + limit + " answers");
    }
    ChatResponse response = delegate.chat(request);
    synchronized (this) {
      try {
        Files.writeString(file, "answer\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return response;
  }

  /** How many answers were logged in {@code file}. */
  static long count(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
