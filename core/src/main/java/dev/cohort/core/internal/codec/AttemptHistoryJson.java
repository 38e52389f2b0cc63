package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a simulation's earlier attempts: an array of {@code {attempt, error,
 * finished_at}}, {@code finished_at} null when unknown. An attempt a rerun of a flagged
 * simulation set aside ({@code rerun_flagged}) also has {@code rerun} (its number), {@code flags},
 * {@code usage}, {@code cost_usd} and its {@code turns}; a failure kept by {@code retry-failed} has
 * none of them.
 */
public final class AttemptHistoryJson {
  private static final List<String> FIELDS = List.of("attempt", "error", "finished_at", "rerun", "flags", "usage",
      "cost_usd", "turns");
  private static final List<String> USAGE_FIELDS = List.of("prompt_tokens", "completion_tokens",
      "cached_prompt_tokens", "total_tokens", "calls", "cache_hits");

  private AttemptHistoryJson() {}

  /** Writes {@code history} as an array. */
  public static void write(JsonGenerator gen, List<FailedAttempt> history) throws IOException {
    gen.writeStartArray();
    for (FailedAttempt failed : history) {
      gen.writeStartObject();
      gen.writeNumberField("attempt", failed.attempt());
      gen.writeStringField("error", failed.error());
      JsonText.writeInstant(gen, "finished_at", failed.finishedAt());
      if (failed.isRerun()) {
        gen.writeNumberField("rerun", failed.rerun());
        FlagsJson.writeFlags(gen, failed.flags());
        BatchJson.writeUsage(gen, failed.usage());
        if (failed.costUsd() == null) {
          gen.writeNullField("cost_usd");
        } else {
          gen.writeNumberField("cost_usd", failed.costUsd());
        }
        gen.writeFieldName("turns");
        TurnJson.write(gen, failed.turns());
      }
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  /** The JSON text of {@code history}, as a store keeps it. */
  public static String write(List<FailedAttempt> history) {
    return JsonText.write(gen -> write(gen, history));
  }

  /**
   * The history stored by {@link #write(List)} in {@code json}; empty for null (a store keeps no
   * history for a simulation that was never retried).
   */
  public static List<FailedAttempt> readStored(@Nullable String json) {
    return json == null ? List.of() : JsonText.readStored(json, "attempt history", AttemptHistoryJson::read);
  }

  private static List<FailedAttempt> read(JsonNode node) {
    if (!node.isArray()) {
      throw new ValidationException("attempt_history", "must be an array, was " + JsonFields.describe(node));
    }
    List<FieldError> errors = new ArrayList<>();
    List<FailedAttempt> history = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String path = "attempt_history[" + i + "]";
      JsonFields fields = JsonFields.ofStored(node.get(i), path, path + ".", errors);
      if (fields == null) {
        continue;
      }
      int before = errors.size();
      fields.rejectUnknown(FIELDS);
      Integer attempt = fields.integer("attempt", true, Integer.MAX_VALUE);
      String error = fields.text("error", true);
      String finishedAt = fields.text("finished_at", false);
      Integer rerun = fields.has("rerun") ? fields.integer("rerun", false, Integer.MAX_VALUE) : Integer.valueOf(0);
      List<QualityFlag> flags = flags(fields.texts("flags", false), path, errors);
      TokenUsage usage = usage(fields.nested("usage"));
      Double cost = fields.decimal("cost_usd");
      List<Turn> turns = new ArrayList<>();
      if (fields.has("turns")) {
        turns.addAll(TurnJson.readStored(node.get(i).get("turns")));
      }
      if (errors.size() == before && attempt != null && error != null && rerun != null) {
        try {
          Instant at = finishedAt == null ? null : Instant.parse(finishedAt);
          history.add(rerun == 0 ? new FailedAttempt(attempt, error, at)
              : new FailedAttempt(attempt, error, at, turns, flags, rerun, usage, cost));
        } catch (IllegalArgumentException | DateTimeException e) {
          errors.add(new FieldError(path, e.getMessage()));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return history;
  }

  private static List<QualityFlag> flags(@Nullable List<String> names, String path, List<FieldError> errors) {
    List<QualityFlag> flags = new ArrayList<>();
    if (names != null) {
      for (String name : names) {
        QualityFlag.fromWireName(name).ifPresentOrElse(flags::add,
            () -> errors.add(new FieldError(path + ".flags", "names no quality flag: '" + name + "'")));
      }
    }
    return flags;
  }

  /** The usage {@link BatchJson#writeUsage} wrote; zero when absent ({@code total_tokens} is derived). */
  private static TokenUsage usage(@Nullable JsonFields usage) {
    if (usage == null) {
      return TokenUsage.ZERO;
    }
    usage.rejectUnknown(USAGE_FIELDS);
    return new TokenUsage(count(usage, "prompt_tokens"), count(usage, "completion_tokens"),
        count(usage, "cached_prompt_tokens"), count(usage, "calls"), count(usage, "cache_hits"));
  }

  private static long count(JsonFields fields, String field) {
    Long n = fields.longInteger(field);
    return n == null || n < 0 ? 0 : n;
  }
}
