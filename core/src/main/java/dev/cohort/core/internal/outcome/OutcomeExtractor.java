package dev.cohort.core.internal.outcome;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.ModelCallers;
import dev.cohort.core.internal.call.ModelFatalLlmException;
import dev.cohort.core.internal.simulation.ScriptedRound.Verdict;
import dev.cohort.core.port.BatchFatalLlmException;
import dev.cohort.core.port.CallFatalLlmException;
import dev.cohort.core.port.ChatResponse;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.RetryableLlmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Extracts a simulation's declared outcomes from its transcript: one call for every outcome at
 * once, answered against a strict JSON schema built from the declaration, checked, and asked for
 * again (at most {@code maxReasks} times) with the problems spelt out when it does not fit. The
 * calls go through the {@link ModelCaller}, so they share the rate limit and the retries of the
 * dialogue's calls; their usage is part of the result, to be added to the simulation's.
 *
 * <p>With several named models ({@link ModelCallers}), a simulation's outcomes are extracted by
 * the model it was planned for, through that model's own caller (its rate limit, retries and
 * price), unless the request's {@code outcome_model} names a model of the registry: then that one
 * extracts every simulation's. An {@code outcome_model} that is no registry name is a provider model
 * id sent to the instance's one model, as without a registry.
 *
 * <p>A failure is a result, not an exception: a call-fatal or exhausted retryable model error, or
 * answers that never fit, give an {@link ExtractedOutcomes} with its error set and no values; the
 * dialogue stays as it is. Only a batch-fatal model error (and an interrupt) is thrown, since it
 * stops the whole batch.
 */
public final class OutcomeExtractor {
  /** The sampling temperature of extraction calls: answers about a fixed text should not vary. */
  static final double TEMPERATURE = 0.0;

  private final ModelCallers callers;
  private final int maxReasks;

  /**
   * @param caller sends each call, with retries
   * @param maxReasks how many times an answer that does not fit is asked for again
   */
  public OutcomeExtractor(ModelCaller caller, int maxReasks) {
    this(ModelCallers.single(Objects.requireNonNull(caller, "caller")), maxReasks);
  }

  /**
   * @param callers the caller of each named model and of the instance's one model
   * @param maxReasks how many times an answer that does not fit is asked for again
   */
  public OutcomeExtractor(ModelCallers callers, int maxReasks) {
    this.callers = Objects.requireNonNull(callers, "callers");
    this.maxReasks = maxReasks;
  }

  /**
   * The declared outcomes {@code values} has no value for, in declaration order: what an
   * extraction of that simulation must ask. Re-extraction clears the values it redoes, so this is
   * also what a resumed re-extraction still has to do.
   */
  public static List<DeclaredOutcome> missing(BatchRequest request, Map<String, @Nullable Object> values) {
    List<DeclaredOutcome> missing = new ArrayList<>();
    for (DeclaredOutcome o : request.outcomes()) {
      if (!values.containsKey(o.name())) {
        missing.add(o);
      }
    }
    return missing;
  }

  /**
   * Asks for {@code outcomes} of one simulation.
   *
   * @param participants the simulation's participants, in its order
   * @param turns its whole transcript
   * @param seed the seed of the first call (re-asks add their number), for providers that honour one
   * @throws dev.cohort.core.port.BatchFatalLlmException when no call of the batch can succeed
   * @throws InterruptedException when the thread is interrupted (the batch is stopping)
   */
  public ExtractedOutcomes extract(BatchRequest request, List<DeclaredOutcome> outcomes, List<Entity> participants,
      List<Turn> turns, long seed) throws InterruptedException {
    return extract(request, outcomes, participants, turns, seed, null);
  }

  /**
   * Asks for {@code outcomes} of one simulation planned for the named model {@code plannedModel}.
   *
   * @param plannedModel the registry name the simulation was planned for, or null for the
   *     instance's one model
   * @throws InterruptedException when the thread is interrupted (the batch is stopping)
   * @throws ModelFatalLlmException when a named model's key or account cannot make any call: only
   *     that model's simulations stop
   */
  public ExtractedOutcomes extract(BatchRequest request, List<DeclaredOutcome> outcomes, List<Entity> participants,
      List<Turn> turns, long seed, @Nullable String plannedModel) throws InterruptedException {
    String outcomeModel = request.outcomeModel();
    boolean namedExtractor = outcomeModel != null && callers.names().contains(outcomeModel);
    // A registry name goes to its own caller, whose port knows the provider's model id; any other
    // outcome_model is that id, sent through the caller of the instance's one model.
    @Nullable String registryName = namedExtractor ? outcomeModel : outcomeModel != null ? null : plannedModel;
    @Nullable String model = namedExtractor ? null : outcomeModel != null ? outcomeModel : request.llm().model();
    // Priced by the model that answers; a named model's request names none, so its name prices it.
    String reported = model != null ? model : registryName != null ? registryName : "";
    OutcomeAsk ask = OutcomeAsk.start(request, outcomes, participants, turns, seed, model, reported, maxReasks);
    while (true) {
      ChatResponse response;
      try {
        response = callers.forModel(registryName).call(ask.call());
      } catch (CallFatalLlmException | RetryableLlmException e) {
        ask.giveUp(String.valueOf(e.getMessage()));
        return ask.result();
      } catch (BatchFatalLlmException e) {
        // Name the model, so the runner stops only its simulations and the others run on.
        throw registryName == null || e instanceof ModelFatalLlmException ? e
            : new ModelFatalLlmException(registryName, e);
      }
      if (ask.take(response, response.usage().asOneCall(), null) != Verdict.REASK) {
        return ask.result();
      }
    }
  }

  /**
   * The seed of a simulation's first extraction call: copies of a group on different models share
   * it (crossed model assignment), as their rounds' seeds.
   */
  public static long seed(long batchSeed, BatchRequest request, int sequence) {
    return batchSeed ^ request.modelFactor().groupSequence(sequence);
  }
}
