package dev.cohort.core.internal.codec.spend;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.internal.codec.JsonText;
import dev.cohort.core.spend.Estimate;
import java.io.IOException;

/**
 * The JSON form of a spend {@link Estimate}, as the REST API and the command line write it:
 * {@code {simulations, model, calls, prompt_tokens, cached_prompt_tokens, completion_tokens,
 * cost_usd, assumptions}}, each range an object {@code {low, expected, high}}; {@code cost_usd} is
 * {@code null} when the model has no price.
 */
public final class EstimateJson {
  private EstimateJson() {}

  /** Writes the estimate object. */
  public static void write(JsonGenerator gen, Estimate estimate) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("simulations", estimate.simulations());
    if (estimate.model() == null) {
      gen.writeNullField("model");
    } else {
      gen.writeStringField("model", estimate.model());
    }
    writeCount(gen, "calls", estimate.calls());
    writeCount(gen, "prompt_tokens", estimate.promptTokens());
    writeCount(gen, "cached_prompt_tokens", estimate.cachedPromptTokens());
    writeCount(gen, "completion_tokens", estimate.completionTokens());
    Estimate.Cost cost = estimate.costUsd();
    if (cost == null) {
      gen.writeNullField("cost_usd");
    } else {
      gen.writeObjectFieldStart("cost_usd");
      gen.writeNumberField("low", cost.low());
      gen.writeNumberField("expected", cost.expected());
      gen.writeNumberField("high", cost.high());
      gen.writeEndObject();
    }
    gen.writeFieldName("assumptions");
    JsonText.writeStrings(gen, estimate.assumptions());
    gen.writeEndObject();
  }

  private static void writeCount(JsonGenerator gen, String field, Estimate.Count count) throws IOException {
    gen.writeObjectFieldStart(field);
    gen.writeNumberField("low", count.low());
    gen.writeNumberField("expected", count.expected());
    gen.writeNumberField("high", count.high());
    gen.writeEndObject();
  }
}
