package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.internal.call.CallScope;
import dev.cohort.core.internal.simulation.SimulationEngine.Failed;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.RetryableLlmException;
import dev.cohort.core.spend.CostSum;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The re-ask loop that a scripted round and a role-play turn share: asks until an answer is usable
 * or the re-asks run out, adding every answer's tokens and cost as it comes (so a failure afterwards
 * still shows what the earlier answers cost), keeping the model that answered, saying when a
 * rejected answer was cut off at the token limit, and asking again with the first messages, the
 * rejected answer and what is wrong with it. What an answer must hold is the caller's
 * ({@link Reader}).
 */
final class Reasks {
  private final PricedCalls calls;
  private final int maxReasks;

  /** Reads one answer's text: what it gives, or why it cannot be used. */
  @FunctionalInterface
  interface Reader<T> {
    Reading<T> read(String text);
  }

  /** The messages of the next ask, from the first ask's {@code messages}, the rejected answer and its problem. */
  @FunctionalInterface
  interface Reasker {
    List<ChatMessage> reask(List<ChatMessage> messages, String answer, String problem);
  }

  /** What one answer gives ({@code value}), or why it cannot be used ({@code problem}); one of the two. */
  record Reading<T>(@Nullable T value, @Nullable String problem) {
    static <T> Reading<T> usable(T value) {
      return new Reading<>(value, null);
    }

    static <T> Reading<T> unusable(String problem) {
      return new Reading<>(null, problem);
    }
  }

  /**
   * How the asking ended.
   *
   * @param value what the usable answer gave; null when none was usable or a call failed
   * @param usage the tokens of every call made, used or not
   * @param costUsd what they cost; starts known at 0, null from the first call whose model has no price
   * @param model the last model a provider named in an answer; null when none did
   * @param problem why there is no value: the last answer's problem or the failed call's message
   * @param truncated whether the usable answer was cut off at the token limit
   * @param fingerprint the last system fingerprint a provider sent with an answer; null when none did
   */
  record Attempt<T>(@Nullable T value, TokenUsage usage, @Nullable Double costUsd, @Nullable String model,
      @Nullable String problem, boolean truncated, @Nullable String fingerprint) {
    /**
     * The simulation's failure at this attempt: {@code what} names the round or turn, {@code
     * usageBefore} and {@code costBefore} are what the simulation used before it.
     */
    Failed failed(String what, TokenUsage usageBefore, @Nullable Double costBefore) {
      return new Failed(what + ": " + problem, usageBefore.plus(usage), usage, CostSum.plus(costBefore, costUsd),
          costUsd);
    }
  }

  /**
   * @param calls sends each call under the budget and prices it
   * @param maxReasks how many times an unusable answer is asked for again
   */
  Reasks(PricedCalls calls, int maxReasks) {
    this.calls = calls;
    this.maxReasks = maxReasks;
  }

  /**
   * Asks with {@code messages} in the JSON form {@code schema} and {@code request}'s model settings
   * until {@code reader} finds an answer usable, at most {@code 1 + maxReasks} times. A call that
   * fails for this round or turn only ({@link CallFatalLlmException}, {@link RetryableLlmException}
   * after the caller's retries) ends the asking with its message as the problem.
   *
   * @param seedOfAsk the seed of ask number {@code n} (0 for the first)
   * @param scope the simulation and round the calls are for (the response cache records it) and the
   *     registry name of the model they go to
   * @throws BudgetReachedException when the budget refuses a call
   * @throws InterruptedException when the thread is interrupted
   */
  <T> Attempt<T> ask(
      BatchRequest request, List<ChatMessage> messages, Map<String, Object> schema, IntToLongFunction seedOfAsk,
      Reader<T> reader, Reasker reasker, CallBudget budget, CallScope scope) throws InterruptedException {
    TokenUsage usage = TokenUsage.ZERO;
    @Nullable Double cost = 0.0;
    @Nullable String model = null;
    @Nullable String problem = null;
    @Nullable String fingerprint = null;
    List<ChatMessage> conversation = messages;
    for (int ask = 0; ask <= maxReasks; ask++) {
      ChatRequest chat = ChatRequest.builder()
          .messages(conversation)
          .model(SimulationEngine.requestModel(request, scope.model()))
          .temperature(request.llm().temperature())
          .maxTokens(request.llm().maxTokens())
          .seed(seedOfAsk.applyAsLong(ask))
          .jsonSchema(schema)
          .build();
      PricedCalls.Answer answer;
      try {
        answer = calls.call(chat, budget, scope);
      } catch (CallFatalLlmException | RetryableLlmException e) {
        return new Attempt<>(null, usage, cost, model, e.getMessage(), false, fingerprint);
      }
      ChatResponse response = answer.response();
      usage = usage.plus(answer.usage());
      cost = CostSum.plus(cost, answer.costUsd());
      if (response.model() != null) {
        model = response.model();
      }
      if (response.systemFingerprint() != null) {
        fingerprint = response.systemFingerprint();
      }
      Reading<T> reading = reader.read(response.text());
      T value = reading.value();
      if (value != null) {
        return new Attempt<>(value, usage, cost, model, null, response.truncated(), fingerprint);
      }
      String rejected = String.valueOf(reading.problem());
      if (response.truncated()) {
        rejected += " (the answer was cut off at the token limit)";
      }
      problem = "the model's answer could not be used after " + (ask + 1) + " attempts: " + rejected;
      conversation = reasker.reask(messages, response.text(), rejected);
    }
    return new Attempt<>(null, usage, cost, model, problem, false, fingerprint);
  }
}
