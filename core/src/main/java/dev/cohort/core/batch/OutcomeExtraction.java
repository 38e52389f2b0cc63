package dev.cohort.core.batch;

import java.util.Objects;

/**
 * How a simulation's outcomes were last extracted: the model and the instructions it was given
 * (the extraction prompt's system message, which lists every question and the answer format; the
 * user message is the simulation's transcript, {@link Simulation#content()}, with its
 * participants).
 *
 * @param model the model name the provider reported, else the one asked for, else {@code ""} when
 *     the adapter chose and did not say
 * @param prompt the system message of the extraction call
 */
public record OutcomeExtraction(String model, String prompt) {
  public OutcomeExtraction {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(prompt, "prompt");
  }
}
