package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ChatRequest;
import org.jspecify.annotations.Nullable;

/**
 * What every model call of a simulation asks before it starts and reports after it ends: the hook
 * a batch's budget holds through. {@link #reserve} throws {@link BudgetReachedException} when the
 * budget does not let the call start, {@link LeaseLostException} when the simulation may not go on
 * here at all.
 */
public interface CallBudget {
  /** No budget: every call may start. */
  CallBudget NONE = new CallBudget() {
    @Override
    public void reserve(ChatRequest request) {}

    @Override
    public void settle(TokenUsage usage, @Nullable String model) {}
  };

  /**
   * Reserves the call's estimated spend.
   *
   * @throws BudgetReachedException when spent plus reserved would pass the budget
   * @throws LeaseLostException when the simulation's lease was lost, whatever the budget
   */
  void reserve(ChatRequest request);

  /**
   * The call ended: {@code usage} is what it used ({@link TokenUsage#ZERO} when it failed without
   * an answer) and {@code model} the model that answered, or null.
   */
  void settle(TokenUsage usage, @Nullable String model);
}
