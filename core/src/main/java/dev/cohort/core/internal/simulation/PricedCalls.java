package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.spend.PriceTable;
import org.jspecify.annotations.Nullable;

/**
 * Makes one model call the way every mode does: under the batch's budget (reserved before, settled
 * with what the call really used after) and priced by the model that answered, since a provider may
 * route a request to a dated snapshot. Scripted rounds and role-play turns both call through it.
 */
final class PricedCalls {
  private final ModelCaller caller;
  private final PriceTable prices;

  /**
   * One answer with what it cost.
   *
   * @param usage the call's tokens, counted as one call
   * @param costUsd null when the answering model has no price
   */
  record Answer(ChatResponse response, TokenUsage usage, @Nullable Double costUsd) {}

  PricedCalls(ModelCaller caller, PriceTable prices) {
    this.caller = caller;
    this.prices = prices;
  }

  /**
   * Sends {@code chat} once budget allows it.
   *
   * @throws BudgetReachedException when the budget refuses the call (nothing was sent)
   */
  Answer call(ChatRequest chat, CallBudget budget) throws InterruptedException {
    budget.reserve(chat);
    ChatResponse response;
    try {
      response = caller.call(chat);
    } catch (InterruptedException | RuntimeException e) {
      budget.settle(TokenUsage.ZERO, null);
      throw e;
    }
    TokenUsage usage = response.usage().asOneCall();
    budget.settle(usage, response.model());
    String model = response.model() != null ? response.model() : chat.model();
    return new Answer(response, usage, prices.costUsd(model, usage));
  }
}
