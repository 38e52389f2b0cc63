package dev.cohort.core.export;

import dev.cohort.core.batch.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The shapes a batch can be exported in. Each has a file extension and a media type, so a server
 * or a command line can name and label the file it writes.
 */
public enum ExportFormat {
  /**
   * One JSON document: the batch object with every field, its {@code simulations} in sequence order
   * and an {@code entities} map keyed by id (see {@code BatchJson}).
   */
  JSON("json", "application/json"),
  /**
   * One CSV table, one row per simulation: {@code Simulation ID, Sequence Number, Interaction Type,
   * Entity IDs, Entity Names, Entity Descriptions, Context, Content, Timestamp, Status, Error, Final
   * Turn Number, Speaking Order, Prompt Tokens, Completion Tokens}, then one {@code outcome.NAME}
   * column per declared simulation-level outcome.
   */
  CSV("csv", "text/csv; charset=utf-8"),
  /** JSON Lines: one self-contained simulation object per line, in the {@code BatchJson} shape. */
  JSONL("jsonl", "application/x-ndjson"),
  /**
   * One CSV row per turn: {@code Batch ID, Simulation ID, Sequence Number, Round, Turn, Speaker ID,
   * Speaker Name, Thought, Text}.
   */
  UTTERANCES_CSV("csv", "text/csv; charset=utf-8"),
  /**
   * One JSON object per line and turn, with the fields {@code batch_id, simulation_id,
   * sequence_number, round, turn, speaker_id, speaker_name, thought, text}.
   */
  UTTERANCES_JSONL("jsonl", "application/x-ndjson"),
  /**
   * One CSV row per (simulation, participant), rectangular: {@code simulation_id, sequence_number,
   * status, entity_id, entity_name}, one {@code attr.NAME} column per attribute any entity of the
   * batch has (nested values as JSON), one {@code outcome.NAME} column per per-participant outcome,
   * then {@code turns, words, spoke_first} ({@code yes}/{@code no}). The long table a regression wants.
   */
  PARTICIPANTS_CSV("csv", "text/csv; charset=utf-8"),
  /**
   * The participant table as JSON Lines: one object per (simulation, participant) with the same
   * keys as {@link #PARTICIPANTS_CSV}'s columns, values as JSON ({@code spoke_first} a boolean).
   */
  PARTICIPANTS_JSONL("jsonl", "application/x-ndjson"),
  /**
   * The batch's provenance manifest as one JSON object (see {@code dev.cohort.core.batch.Manifest}):
   * versions, store, workers, models and fingerprints, settings, digests, counts, usage, cache hits.
   */
  MANIFEST("json", "application/json");

  private final String fileExtension;
  private final String mediaType;

  ExportFormat(String fileExtension, String mediaType) {
    this.fileExtension = fileExtension;
    this.mediaType = mediaType;
  }

  /** The file name extension, without the dot: {@code json}, {@code csv} or {@code jsonl}. */
  public String fileExtension() {
    return fileExtension;
  }

  /** The media type to label the bytes with, such as {@code text/csv; charset=utf-8}. */
  public String mediaType() {
    return mediaType;
  }

  /** Whether the output is CSV (and so subject to formula neutralisation and the byte order mark). */
  public boolean isCsv() {
    return this == CSV || this == UTTERANCES_CSV || this == PARTICIPANTS_CSV;
  }

  /**
   * The lower-case name used by the REST API and the command line: {@code json}, {@code csv},
   * {@code jsonl}, {@code utterances_csv}, {@code utterances_jsonl}, {@code participants_csv},
   * {@code participants_jsonl}, {@code manifest}.
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * A file name for this export of the batch: {@code batch-<id>.csv}, or {@code
   * batch-<id>-utterances.csv} for the utterance table.
   */
  public String fileName(String batchId) {
    String kind = this == UTTERANCES_CSV || this == UTTERANCES_JSONL ? "-utterances"
        : this == PARTICIPANTS_CSV || this == PARTICIPANTS_JSONL ? "-participants"
        : this == MANIFEST ? "-manifest" : "";
    return "batch-" + batchId + kind + "." + fileExtension;
  }

  /**
   * The format with the given {@link #wireName() wire name}, ignoring case; {@code -} may stand for
   * {@code _}.
   *
   * @throws ValidationException on the field {@code format} when no format has that name
   */
  public static ExportFormat fromWireName(String name) {
    String normalised = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    for (ExportFormat format : values()) {
      if (format.wireName().equals(normalised)) {
        return format;
      }
    }
    String known = Arrays.stream(values()).map(ExportFormat::wireName).collect(Collectors.joining(", "));
    throw new ValidationException("format", "must be one of " + known + ", was \"" + name + "\"");
  }
}
