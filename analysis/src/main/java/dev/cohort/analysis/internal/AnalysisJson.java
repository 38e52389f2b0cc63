package dev.cohort.analysis.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.analysis.Analysis;
import dev.cohort.analysis.Analysis.AttributeSummary;
import dev.cohort.analysis.Analysis.CompositionEffect;
import dev.cohort.analysis.Analysis.EntityEffect;
import dev.cohort.analysis.Analysis.EntitySummary;
import dev.cohort.analysis.Analysis.Frequency;
import dev.cohort.analysis.Analysis.Icc;
import dev.cohort.analysis.Analysis.MemberCount;
import dev.cohort.analysis.Analysis.NamingRate;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.analysis.Analysis.Summary;
import dev.cohort.analysis.ModelComparison;
import dev.cohort.analysis.ModelComparison.ModelDifference;
import dev.cohort.analysis.ModelComparison.ModelOutcome;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of an {@link Analysis}, snake_case, as {@code GET /api/batch-simulations/{id}/analysis}
 * and {@code cohort analyze --json} give it. A statistic the data cannot give (NaN) is {@code null}.
 */
public final class AnalysisJson {
  private AnalysisJson() {}

  /** Writes the analysis as one JSON object. */
  public static void write(JsonGenerator gen, Analysis analysis) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("batch_id", analysis.batchId());
    gen.writeNumberField("simulations", analysis.simulations());
    gen.writeNumberField("analysed", analysis.analysed());
    gen.writeNumberField("excluded_flagged", analysis.excludedFlagged());
    gen.writeNumberField("unfinished", analysis.unfinished());
    gen.writeBooleanField("flagged_included", analysis.flaggedIncluded());
    gen.writeNumberField("confidence_level", 0.95);
    gen.writeArrayFieldStart("outcomes");
    for (OutcomeAnalysis o : analysis.outcomes()) {
      writeOutcome(gen, o);
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  private static void writeOutcome(JsonGenerator gen, OutcomeAnalysis o) throws IOException {
    gen.writeStartObject();
    writeOutcomeFields(gen, o);
    ModelComparison models = o.models();
    if (models != null) {
      writeModels(gen, models);
    }
    gen.writeEndObject();
  }

  /**
   * The {@code models} object: how the models were compared, the outcome on each (the same fields
   * as an outcome, plus {@code model}) and each pair's difference.
   */
  private static void writeModels(JsonGenerator gen, ModelComparison models) throws IOException {
    gen.writeObjectFieldStart("models");
    gen.writeStringField("assignment", models.assignment().wireName());
    gen.writeBooleanField("paired", models.paired());
    gen.writeStringField("explanation", models.explanation());
    gen.writeArrayFieldStart("by_model");
    for (ModelOutcome m : models.byModel()) {
      gen.writeStartObject();
      gen.writeStringField("model", m.model());
      writeOutcomeFields(gen, m.analysis());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeArrayFieldStart("differences");
    for (ModelDifference d : models.differences()) {
      gen.writeStartObject();
      gen.writeStringField("model", d.model());
      gen.writeStringField("other_model", d.otherModel());
      gen.writeStringField("method", d.method().wireName());
      gen.writeNumberField("pairs", d.pairs());
      gen.writeNumberField("n", d.n());
      number(gen, "difference", d.difference());
      number(gen, "ci_low", d.ciLow());
      number(gen, "ci_high", d.ciHigh());
      number(gen, "df", d.df());
      number(gen, "t", d.t());
      number(gen, "p", d.p());
      number(gen, "p_holm", d.pHolm());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  private static void writeOutcomeFields(JsonGenerator gen, OutcomeAnalysis o) throws IOException {
    gen.writeStringField("name", o.name());
    gen.writeStringField("type", o.type().wireName());
    gen.writeStringField("per", o.per().wireName());
    gen.writeFieldName("summary");
    writeSummary(gen, o.summary());
    if (!o.entityEffects().isEmpty()) {
      gen.writeArrayFieldStart("entity_effects");
      for (EntityEffect e : o.entityEffects()) {
        gen.writeStartObject();
        gen.writeStringField("entity_id", e.entityId());
        gen.writeStringField("entity_name", e.entityName());
        gen.writeFieldName("with");
        writeSummary(gen, e.with());
        gen.writeFieldName("without");
        writeSummary(gen, e.without());
        number(gen, "difference", e.difference());
        number(gen, "ci_low", e.ciLow());
        number(gen, "ci_high", e.ciHigh());
        number(gen, "df", e.df());
        number(gen, "t", e.t());
        number(gen, "p", e.p());
        number(gen, "p_holm", e.pHolm());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    if (!o.byEntity().isEmpty()) {
      gen.writeArrayFieldStart("by_entity");
      for (EntitySummary e : o.byEntity()) {
        gen.writeStartObject();
        gen.writeStringField("entity_id", e.entityId());
        gen.writeStringField("entity_name", e.entityName());
        gen.writeFieldName("summary");
        writeSummary(gen, e.summary());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    if (!o.byAttribute().isEmpty()) {
      gen.writeArrayFieldStart("by_attribute");
      for (AttributeSummary a : o.byAttribute()) {
        gen.writeStartObject();
        gen.writeStringField("attribute", a.attribute());
        gen.writeStringField("value", a.value());
        gen.writeFieldName("summary");
        writeSummary(gen, a.summary());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    if (!o.composition().isEmpty()) {
      gen.writeArrayFieldStart("composition");
      for (CompositionEffect c : o.composition()) {
        gen.writeStartObject();
        gen.writeStringField("attribute", c.attribute());
        gen.writeStringField("value", c.value());
        gen.writeArrayFieldStart("by_members");
        for (MemberCount m : c.byMembers()) {
          gen.writeStartObject();
          gen.writeNumberField("members", m.members());
          gen.writeFieldName("summary");
          writeSummary(gen, m.summary());
          gen.writeEndObject();
        }
        gen.writeEndArray();
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    Icc icc = o.icc();
    if (icc != null) {
      gen.writeObjectFieldStart("icc");
      gen.writeNumberField("groups", icc.groups());
      gen.writeNumberField("observations", icc.observations());
      number(gen, "mean_square_between", icc.meanSquareBetween());
      number(gen, "mean_square_within", icc.meanSquareWithin());
      number(gen, "f", icc.f());
      number(gen, "p", icc.p());
      number(gen, "icc", icc.icc());
      gen.writeEndObject();
    }
    if (!o.frequencies().isEmpty()) {
      gen.writeArrayFieldStart("frequencies");
      for (Frequency f : o.frequencies()) {
        gen.writeStartObject();
        gen.writeStringField("value", f.value());
        gen.writeStringField("label", f.label());
        gen.writeNumberField("count", f.count());
        number(gen, "share", f.share());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    if (!o.namingRates().isEmpty()) {
      gen.writeArrayFieldStart("naming_rates");
      for (NamingRate r : o.namingRates()) {
        gen.writeStartObject();
        gen.writeStringField("entity_id", r.entityId());
        gen.writeStringField("entity_name", r.entityName());
        gen.writeNumberField("named", r.named());
        gen.writeNumberField("appearances", r.appearances());
        number(gen, "rate", r.rate());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
  }

  private static void writeSummary(JsonGenerator gen, @Nullable Summary s) throws IOException {
    if (s == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    gen.writeNumberField("n", s.n());
    number(gen, "mean", s.mean());
    number(gen, "sd", s.sd());
    number(gen, "ci_low", s.ciLow());
    number(gen, "ci_high", s.ciHigh());
    gen.writeStringField("interval", s.method().wireName());
    gen.writeEndObject();
  }

  /** A finite number as itself, NaN or an infinity as null: JSON has no such numbers. */
  private static void number(JsonGenerator gen, String field, double value) throws IOException {
    if (Double.isFinite(value)) {
      gen.writeNumberField(field, value);
    } else {
      gen.writeNullField(field);
    }
  }
}
