package dev.cohort.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The value of {@code --context}: the text itself, {@code @file} for a file's content, or the path
 * of an existing file (as the original script accepted). Files are read as UTF-8 and trimmed.
 */
final class ContextArgument {
  private static final String OPTION = "--context";
  /** Longer values are always text: no file has such a name. */
  private static final int MAX_PATH_LENGTH = 4096;

  private ContextArgument() {}

  /**
   * The context the value stands for, resolving relative paths against {@code workingDir}; a value
   * taken as text although it looks like the name of a file that does not exist is told to {@code
   * warnings}.
   *
   * @throws UsageException when an {@code @file} is missing, a file cannot be read or is empty
   */
  static String resolve(String value, Path workingDir, Consumer<String> warnings) {
    if (value.startsWith("@")) {
      return read(value.substring(1), workingDir);
    }
    if (value.length() <= MAX_PATH_LENGTH && value.indexOf('\n') < 0 && !value.isBlank()) {
      try {
        if (Files.isRegularFile(workingDir.resolve(value))) {
          return read(value, workingDir);
        }
      } catch (InvalidPathException notAPath) {
        // Characters no file name can hold: the value is text.
        return value;
      }
      if (looksLikePath(value.strip())) {
        // A mistyped file name would otherwise become the context of every simulation, unnoticed.
        warnings.accept(OPTION + " '" + value + "' looks like a file name, but no such file exists; it is taken as "
            + "the context text itself (write @FILE to read a file)");
      }
    }
    return value;
  }

  /**
   * Whether a value reads as a file name rather than prose: it ends in {@code .txt}, {@code .md} or
   * {@code .json}, or it holds a {@code /} and no space ("24/7 shops" is prose).
   */
  private static boolean looksLikePath(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".txt") || lower.endsWith(".md") || lower.endsWith(".json")) {
      return true;
    }
    return value.indexOf('/') >= 0 && value.chars().noneMatch(Character::isWhitespace);
  }

  private static String read(String name, Path workingDir) {
    if (name.isBlank()) {
      throw new UsageException(OPTION, "'@' must be followed by a file name, as in @context.txt");
    }
    Path file;
    try {
      file = workingDir.resolve(name);
    } catch (InvalidPathException e) {
      throw new UsageException(OPTION, "'" + name + "' is not a valid file name");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UsageException(OPTION, "file '" + name + "' does not exist");
    } catch (AccessDeniedException e) {
      throw new UsageException(OPTION, "file '" + name + "' cannot be read (permission denied)");
    } catch (CharacterCodingException e) {
      throw new UsageException(OPTION, "file '" + name + "' is not UTF-8 text");
    } catch (IOException e) {
      throw new UsageException(OPTION, Files.isDirectory(file) ? "'" + name + "' is a directory, not a file"
          : "file '" + name + "' cannot be read: " + e.getMessage());
    }
    String context = text.strip();
    if (context.isEmpty()) {
      throw new UsageException(OPTION, "file '" + name + "' is empty");
    }
    return context;
  }
}
