package dev.cohort.jdbc;

import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Counts the answers a model gave. With a file, each answer also appends a line to it before the
 * caller sees the answer, so the count survives the process being killed: a round recorded in
 * the store always has its line in the file.
 */
final class CountingLlm implements LlmPort {
  private final LlmPort delegate;
  private final @Nullable Path file;
  private final AtomicLong answers = new AtomicLong();

  CountingLlm(LlmPort delegate, @Nullable Path file) {
    this.delegate = delegate;
    this.file = file;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    ChatResponse response = delegate.chat(request);
    answers.incrementAndGet();
    if (file != null) {
      synchronized (this) {
        try {
          Files.writeString(file, "answer\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return response;
  }

  /** How many answers were handed back so far. */
  long answers() {
    return answers.get();
  }

  /** How many answers a (possibly killed) process recorded in {@code file}. */
  static long answersIn(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
  }
}
