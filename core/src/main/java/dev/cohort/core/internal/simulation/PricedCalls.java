package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.call.CallScope;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.spend.PriceTable;
import org.jspecify.annotations.Nullable;

/**
 * Makes one model call the way every mode does: under the batch's budget (reserved before, settled
 * with what the call really used after) and priced by the model that answered, since a provider may
 * route a request to a dated snapshot. An answer from the response cache is no call: it costs
 * nothing and counts as a cache hit only. Scripted rounds and role-play turns both call through it.
 */
final class PricedCalls {
  private final ModelCaller caller;
  private final PriceTable prices;

  /**
   * One answer with what it cost.
   *
   * @param usage the call's tokens, counted as one call; a response-cache hit counts as a hit only
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
   * @param scope the simulation and round the call is for (the response cache records it)
   * @throws BudgetReachedException when the budget refuses the call (nothing was sent)
   */
  Answer call(ChatRequest chat, CallBudget budget, CallScope scope) throws InterruptedException {
    budget.reserve(chat);
    ChatResponse response;
    try {
      response = caller.call(chat, scope);
    } catch (InterruptedException | RuntimeException e) {
      budget.settle(TokenUsage.ZERO, null);
      throw e;
    }
    if (response.usage().cacheHits() > 0) {
      budget.settle(TokenUsage.ZERO, null);
      return new Answer(response, response.usage(), 0.0);
    }
    TokenUsage usage = response.usage().asOneCall();
    budget.settle(usage, response.model());
    String model = response.model() != null ? response.model() : chat.model();
    return new Answer(response, usage, prices.costUsd(model, usage));
  }
}
