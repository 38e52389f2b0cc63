package dev.cohort.reliability;

import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.LlmPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A model that appends one line per role-play answer, {@code <participants in speaking order>#<turn>},
 * before handing it back, so which (simulation, turn) pairs a process was asked for survives the
 * process being killed. The simulation is named by its participants in speaking order, as the
 * speaker's view in the prompt lists them (the batches this is used with never repeat a group).
 */
final class TurnLog implements LlmPort {
  private static final String WRITE_TURN = "Write turn ";

  private final LlmPort delegate;
  private final Path file;

  TurnLog(LlmPort delegate, Path file) {
    this.delegate = delegate;
    this.file = file;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    ChatResponse response = delegate.chat(request);
    String line = key(request) + "\n";
    synchronized (this) {
      try {
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return response;
  }

  /** The (simulation, turn) key of one role-play request. */
  static String key(ChatRequest request) {
    String own = "";
    for (ChatMessage m : request.messages()) {
      if (m.role() == ChatMessage.Role.USER && m.content().startsWith("You are ")) {
        own = m.content();
      }
    }
    List<String> names = new ArrayList<>();
    boolean inList = false;
    for (String line : own.split("\n")) {
      if (line.equals("Participants:")) {
        inList = true;
      } else if (inList && line.startsWith("- ")) {
        int colon = line.indexOf(':');
        names.add(colon < 0 ? line.substring(2) : line.substring(2, colon));
      } else {
        inList = false;
      }
    }
    int at = own.indexOf(WRITE_TURN) + WRITE_TURN.length();
    return key(names, Integer.parseInt(own.substring(at, own.indexOf(' ', at))));
  }

  /** The key of turn {@code turn} of the simulation whose speakers, in speaking order, are {@code names}. */
  static String key(List<String> names, int turn) {
    return String.join("|", names) + "#" + turn;
  }

  /** Every key logged in {@code file}, one per answer, in order. */
  static List<String> read(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
