package dev.cohort.core.internal.execution;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.simulation.BudgetReachedException;
import dev.cohort.core.internal.simulation.CallBudget;
import dev.cohort.core.internal.simulation.LeaseLostException;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.SpendReservation;
import dev.cohort.core.port.WorkQueue;
import dev.cohort.core.spend.PriceTable;
import org.jspecify.annotations.Nullable;

/**
 * Holds one simulation's calls to its batch's budget through the store's ledger, so every worker
 * on the store counts against the same budget.
 *
 * <p>Before a call it reserves an estimate: prompt tokens from the prompt's length ({@value
 * #CHARACTERS_PER_TOKEN} characters a token), completion tokens the call's {@code max_tokens} when
 * the batch sets one (the most the call can cost), else {@value #TYPICAL_COMPLETION_TOKENS_PER_TURN}
 * per turn asked for; priced as the batch's model, or, when the batch names none, as the model that
 * answered this simulation's last call (the first call of such a simulation is priced as the
 * registry name it was planned for, else reserves its tokens at no cost). After the call it settles with the real usage, priced by the model that answered; a
 * model without a price settles at the estimate.
 */
final class LedgerBudget implements CallBudget {
  /** Roughly how many characters of English make one token. */
  static final int CHARACTERS_PER_TOKEN = 4;
  /** The completion a turn is assumed to take when the batch sets no {@code max_tokens}. */
  static final int TYPICAL_COMPLETION_TOKENS_PER_TURN = 150;

  private final WorkQueue queue;
  private final Lease lease;
  private final BatchRequest request;
  private final PriceTable prices;
  private final boolean batchPrice;
  private @Nullable String answeringModel;
  /** The registry name the simulation was planned for: its price holds until a call has answered. */
  private final @Nullable String plannedModel;
  private double reservedUsd;

  LedgerBudget(WorkQueue queue, Lease lease, BatchRequest request, PriceTable prices) {
    this(queue, lease, request, prices, false, null);
  }

  /** A budget of a simulation planned for the registry name {@code plannedModel} (null: none). */
  LedgerBudget(WorkQueue queue, Lease lease, BatchRequest request, PriceTable prices, @Nullable String plannedModel) {
    this(queue, lease, request, prices, false, plannedModel);
  }

  /**
   * @param batchPrice whether the calls go through the provider's batch API, so reservations and
   *     spend are priced at the price table's batch discount
   * @param plannedModel the registry name the simulation was planned for, or null
   */
  LedgerBudget(WorkQueue queue, Lease lease, BatchRequest request, PriceTable prices, boolean batchPrice,
      @Nullable String plannedModel) {
    this.queue = queue;
    this.lease = lease;
    this.request = request;
    this.prices = prices;
    this.batchPrice = batchPrice;
    this.plannedModel = plannedModel;
  }

  /** What {@code usage} costs with {@code model}'s price, at the batch discount for batch API calls; null without a price. */
  private @Nullable Double cost(@Nullable String model, TokenUsage usage) {
    if (!batchPrice) {
      return prices.costUsd(model, usage);
    }
    return prices.find(model).map(p -> p.batchCostUsd(usage)).orElse(null);
  }

  @Override
  public void reserve(ChatRequest call) {
    long prompt = (call.promptCharacters() + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
    Integer max = call.maxTokens();
    long completion = max != null ? max : (long) TYPICAL_COMPLETION_TOKENS_PER_TURN * request.nTurns();
    TokenUsage estimate = new TokenUsage(prompt, completion, 0, 1);
    String model = request.llm().model() != null ? request.llm().model()
        : answeringModel != null ? answeringModel : plannedModel;
    Double cost = cost(model, estimate);
    if (cost == null && model != null && request.maxCostUsd() != null) {
      throw new BudgetReachedException("max_cost_usd cannot be held: no price for " + model + "; see --prices");
    }
    reservedUsd = cost == null ? 0 : cost;
    SpendReservation reservation = queue.reserveSpend(lease, reservedUsd, estimate.totalTokens(),
        request.maxCostUsd(), request.maxTotalTokens());
    switch (reservation) {
      case RESERVED -> { }
      case OVER_BUDGET -> throw new BudgetReachedException("the budget was reached");
      // Not the budget's doing: the batch must not stop as if it were.
      case LEASE_LOST -> throw new LeaseLostException(lease.simulationId());
      default -> throw new IllegalStateException("unknown reservation result " + reservation);
    }
  }

  @Override
  public void settle(TokenUsage usage, @Nullable String model) {
    if (model != null) {
      answeringModel = model;
    }
    Double cost = cost(model != null ? model : request.llm().model(), usage);
    // Unpriced: the estimate is the best the ledger can count; the simulation's own cost shows unknown.
    queue.settleSpend(lease, cost != null ? cost : usage.calls() == 0 ? 0 : reservedUsd, usage.totalTokens());
  }
}
