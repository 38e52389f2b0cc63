package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.simulation.ScriptedRound.Verdict;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.spend.CostSum;
import org.jspecify.annotations.Nullable;

/**
 * What every {@link SteppedAsk} keeps the same way: the re-ask counter and where a stored job
 * continues it, the tokens, cost and model of every answer taken, and the judging of an answer
 * (accepted, asked again with the problem named, or given up once the re-asks are used up). A
 * subclass says only what is wrong with an answer and how the re-ask quotes it.
 *
 * <p>Public (in a package no other module reads) only so that the outcome extraction's step, which
 * lives beside its prompt and schema in {@code internal.outcome}, shares it; its constructor is
 * protected. Not thread-safe.
 */
public abstract class AbstractSteppedAsk implements SteppedAsk {
  private final int maxReasks;
  private int ask;
  private TokenUsage usage = TokenUsage.ZERO;
  /** Starts known at 0; unknown from the first call whose model has no price. */
  private @Nullable Double cost = 0.0;
  private @Nullable String model;
  private @Nullable String problem;
  private boolean truncated;

  /** @param maxReasks how many times an unusable answer is asked for again */
  protected AbstractSteppedAsk(int maxReasks) {
    this.maxReasks = maxReasks;
  }

  /**
   * Why {@code response} cannot be used (ending with a note when it was cut off at the token
   * limit), or null when it is accepted; an accepted answer is kept by the subclass here.
   */
  protected abstract @Nullable String problemWith(ChatResponse response);

  /** Makes the next {@link #call()} the re-ask of {@code answer}, which was not usable because of {@code problem}. */
  protected abstract void reaskAfter(String answer, String problem);

  @Override
  public final Verdict take(ChatResponse response, TokenUsage callUsage, @Nullable Double costUsd) {
    usage = usage.plus(callUsage);
    cost = CostSum.plus(cost, costUsd);
    if (response.model() != null) {
      model = response.model();
    }
    String wrong = problemWith(response);
    if (wrong == null) {
      problem = null;
      truncated = response.truncated();
      return Verdict.ACCEPTED;
    }
    problem = "the model's answer could not be used after " + (ask + 1) + " attempts: " + wrong;
    if (ask >= maxReasks) {
      return Verdict.REJECTED;
    }
    reaskAfter(response.text(), wrong);
    ask++;
    return Verdict.REASK;
  }

  /**
   * Continues at re-ask {@code ask}, as a stored job that carries that re-ask says, when the
   * answers before it are gone with the process that took them: its answer is judged as usual.
   * ({@link #call()} then sends the first messages with that re-ask's seed: the rejected answers it
   * would quote are not kept.)
   */
  @Override
  public final void continueAt(int ask) {
    if (ask < 0 || ask > maxReasks) {
      throw new IllegalArgumentException("ask must be between 0 and " + maxReasks + ", was " + ask);
    }
    this.ask = ask;
  }

  /** How many times an unusable answer is asked for again. */
  protected final int maxReasks() {
    return maxReasks;
  }

  @Override
  public final int ask() {
    return ask;
  }

  @Override
  public final TokenUsage usage() {
    return usage;
  }

  @Override
  public final @Nullable Double costUsd() {
    return cost;
  }

  @Override
  public final @Nullable String problem() {
    return problem;
  }

  /** Sets why this piece failed when no answer said it (a call that could not be made). */
  protected final void failedBecause(String why) {
    problem = why;
  }

  @Override
  public boolean truncated() {
    return truncated;
  }

  /** The model the last answer named; null when none did. */
  protected @Nullable String model() {
    return model;
  }
}
