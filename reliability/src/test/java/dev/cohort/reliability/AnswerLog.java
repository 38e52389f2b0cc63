package dev.cohort.reliability;

import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A model that appends a line to a file for every answer before handing it back, so the number of
 * answers a process received survives the process being killed: a round stored by that process
 * always has its line.
 */
final class AnswerLog implements LlmPort {
  private final LlmPort delegate;
  private final Path file;

  AnswerLog(LlmPort delegate, Path file) {
    this.delegate = delegate;
    this.file = file;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
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
