package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.batch.Manifest;
import dev.cohort.core.batch.Verification;
import java.io.IOException;

/**
 * The JSON form of a {@link Manifest} and a {@link Verification}: the manifest export, the REST
 * manifest route, the JSON export's {@code manifest} field and the command line write through here.
 * A manifest object holds {@code batch_id, status, cohort_version, java, os, store {kind,
 * schema_version}, workers, model_requested, models [{model, system_fingerprint, simulations}],
 * settings {temperature, max_tokens, response_format, seed_policy, execution_mode}, prompts
 * {format_version, templates_sha256, system_message_sha256}, request (the stored request),
 * request_sha256, entities_sha256, created_at, started_at, finished_at, counts, calls, usage,
 * cost_usd (null when unknown), flag_counts, cache {hits, replayed, saved_cost_usd (null when
 * unknown)}}.
 */
public final class ManifestJson {
  private ManifestJson() {}

  /** Writes the manifest as one object. */
  public static void write(JsonGenerator gen, Manifest m) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("batch_id", m.batchId());
    gen.writeStringField("status", m.status().wireName());
    gen.writeStringField("cohort_version", m.cohortVersion());
    gen.writeStringField("java", m.java());
    gen.writeStringField("os", m.os());
    gen.writeObjectFieldStart("store");
    gen.writeStringField("kind", m.storeKind());
    gen.writeNumberField("schema_version", m.storeSchemaVersion());
    gen.writeEndObject();
    gen.writeFieldName("workers");
    JsonText.writeStrings(gen, m.workers());
    gen.writeStringField("model_requested", m.modelRequested());
    gen.writeArrayFieldStart("models");
    for (Manifest.ModelUse use : m.models()) {
      gen.writeStartObject();
      gen.writeStringField("model", use.model());
      gen.writeStringField("system_fingerprint", use.systemFingerprint());
      gen.writeNumberField("simulations", use.simulations());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    Manifest.CallSettings s = m.settings();
    gen.writeObjectFieldStart("settings");
    gen.writeFieldName("temperature");
    JsonText.writeValue(gen, s.temperature());
    gen.writeFieldName("max_tokens");
    JsonText.writeValue(gen, s.maxTokens());
    gen.writeStringField("response_format", s.responseFormat());
    gen.writeStringField("seed_policy", s.seedPolicy());
    gen.writeStringField("execution_mode", s.executionMode());
    gen.writeEndObject();
    gen.writeObjectFieldStart("prompts");
    gen.writeNumberField("format_version", m.promptFormatVersion());
    gen.writeStringField("templates_sha256", m.promptTemplatesSha256());
    gen.writeStringField("system_message_sha256", m.systemMessageSha256());
    gen.writeEndObject();
    gen.writeFieldName("request");
    BatchRequestJson.write(gen, m.request());
    gen.writeStringField("request_sha256", m.requestSha256());
    gen.writeStringField("entities_sha256", m.entitiesSha256());
    JsonText.writeInstant(gen, "created_at", m.createdAt());
    JsonText.writeInstant(gen, "started_at", m.startedAt());
    JsonText.writeInstant(gen, "finished_at", m.finishedAt());
    gen.writeObjectFieldStart("counts");
    gen.writeNumberField("total", m.counts().total());
    gen.writeNumberField("pending", m.counts().pending());
    gen.writeNumberField("running", m.counts().running());
    gen.writeNumberField("completed", m.counts().completed());
    gen.writeNumberField("failed", m.counts().failed());
    gen.writeNumberField("cancelled", m.counts().cancelled());
    gen.writeEndObject();
    gen.writeNumberField("calls", m.calls());
    BatchJson.writeUsage(gen, m.usage());
    gen.writeFieldName("cost_usd");
    JsonText.writeValue(gen, m.costUsd());
    FlagsJson.writeFlagCounts(gen, m.flagCounts());
    gen.writeObjectFieldStart("cache");
    gen.writeNumberField("hits", m.usage().cacheHits());
    gen.writeBooleanField("replayed", m.replayed());
    gen.writeFieldName("saved_cost_usd");
    JsonText.writeValue(gen, m.cacheSavedCostUsd());
    gen.writeEndObject();
    gen.writeEndObject();
  }

  /** The manifest's JSON text. */
  public static String write(Manifest manifest) {
    return JsonText.write(gen -> write(gen, manifest));
  }

  /**
   * Writes the verification as one object: {@code batch_id, unchanged, request_unchanged,
   * entities_unchanged, simulations_checked, simulations_without_digest, changed_simulations}.
   */
  public static void write(JsonGenerator gen, Verification v) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("batch_id", v.batchId());
    gen.writeBooleanField("unchanged", v.unchanged());
    gen.writeFieldName("request_unchanged");
    JsonText.writeValue(gen, v.requestUnchanged());
    gen.writeFieldName("entities_unchanged");
    JsonText.writeValue(gen, v.entitiesUnchanged());
    gen.writeNumberField("simulations_checked", v.simulationsChecked());
    gen.writeNumberField("simulations_without_digest", v.simulationsWithoutDigest());
    gen.writeArrayFieldStart("changed_simulations");
    for (int sequence : v.changedSimulations()) {
      gen.writeNumber(sequence);
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }
}
