package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.call.CallScope;
import dev.cohort.core.internal.call.ModelCallers;
import dev.cohort.core.internal.call.ModelFatalLlmException;
import dev.cohort.core.port.BatchFatalLlmException;
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
  private final ModelCallers callers;
  private final PriceTable prices;

  /**
   * One answer with what it cost.
   *
   * @param usage the call's tokens, counted as one call; a response-cache hit counts as a hit only
   * @param costUsd null when the answering model has no price
   */
  record Answer(ChatResponse response, TokenUsage usage, @Nullable Double costUsd) {}

  PricedCalls(ModelCallers callers, PriceTable prices) {
    this.callers = callers;
    this.prices = prices;
  }

  /**
   * Sends {@code chat} once budget allows it.
   *
   * @param scope the simulation and round the call is for (the response cache records it) and the
   *     named model it goes to
   * @throws BudgetReachedException when the budget refuses the call (nothing was sent)
   */
  Answer call(ChatRequest chat, CallBudget budget, CallScope scope) throws InterruptedException {
    budget.reserve(chat);
    ChatResponse response;
    try {
      response = callers.forModel(scope.model()).call(chat, scope);
    } catch (BatchFatalLlmException e) {
      budget.settle(TokenUsage.ZERO, null);
      // Name the model, so the runner fails only its simulations and the others run on.
      String name = scope.model();
      throw name == null || e instanceof ModelFatalLlmException ? e : new ModelFatalLlmException(name, e);
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
    // A named model's request names no model (its port knows it): its registry name prices it then.
    String model = response.model() != null ? response.model() : chat.model() != null ? chat.model() : scope.model();
    return new Answer(response, usage, prices.costUsd(model, usage));
  }
}
