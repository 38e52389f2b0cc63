package dev.cohort.core.internal.execution;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * The in-flight slots of the models that have a limit of their own, shared by every batch a {@link
 * Runner} runs: a simulation planned for such a model holds one of its slots, besides its global
 * one, from its claim until it ends.
 *
 * <p>Why it exists: a simulation waiting on its model (its limiter paused by a 429 storm, or a slow
 * provider) keeps its global slot, so without a limit per model one model's trouble could fill
 * every global slot and starve the others. Slots are reserved <em>before</em> a claim, and the
 * claim leaves out the models without a free one, so a claimed simulation never waits for its
 * model's slot while holding a global one.
 */
final class ModelSlots {
  private final Map<String, Semaphore> byModel = new HashMap<>();
  private final Runnable freed;

  /**
   * @param limits most simulations in flight by model name; a model not named has no limit
   * @param freed called after a slot is given back, to wake coordinators whose claims left the
   *     model out
   */
  ModelSlots(Map<String, Integer> limits, Runnable freed) {
    limits.forEach((model, limit) -> byModel.put(model, new Semaphore(limit)));
    this.freed = freed;
  }

  /**
   * Reserves slots for a claim of up to {@code wanted} simulations. The claim's size is at most
   * {@code wanted} and at most the free slots of every limited model that has one, and that many
   * slots are reserved of each such model, so whatever mix of models the claim returns, each of its
   * simulations has a slot; the models with no free slot are to be excluded from the claim.
   */
  Reservation reserve(int wanted) {
    if (byModel.isEmpty()) {
      return new Reservation(wanted, Set.of(), new HashMap<>());
    }
    int size = wanted;
    for (Semaphore slots : byModel.values()) {
      int free = slots.availablePermits();
      if (free > 0) {
        size = Math.min(size, free);
      }
    }
    Set<String> excluded = new HashSet<>();
    Map<String, Integer> held = new HashMap<>();
    for (Map.Entry<String, Semaphore> e : byModel.entrySet()) {
      // Another batch's coordinator may have taken slots since they were counted: then the model
      // sits this claim out rather than risk a simulation without a slot.
      if (e.getValue().tryAcquire(size)) {
        held.put(e.getKey(), size);
      } else {
        excluded.add(e.getKey());
      }
    }
    return new Reservation(size, Set.copyOf(excluded), held);
  }

  /** Gives back the slot of {@code model} that an ended simulation held. */
  void release(String model) {
    Semaphore slots = byModel.get(model);
    if (slots != null) {
      slots.release();
      freed.run();
    }
  }

  /** Slots reserved for one claim, to be taken by the simulations it returns; the rest given back. */
  final class Reservation {
    private final int size;
    private final Set<String> excluded;
    private final Map<String, Integer> held;

    private Reservation(int size, Set<String> excluded, Map<String, Integer> held) {
      this.size = size;
      this.excluded = excluded;
      this.held = held;
    }

    /** How many simulations the claim may take. */
    int size() {
      return size;
    }

    /** The models whose simulations the claim must leave out: they have no free slot. */
    Set<String> excluded() {
      return excluded;
    }

    /**
     * Hands one reserved slot of {@code model} to a claimed simulation planned for it.
     *
     * @return the model whose slot the simulation now holds (to {@link #release} when it ends), or
     *     null when it holds none: planned for no model, or for one without a limit
     */
    @Nullable String take(@Nullable String model) {
      if (model == null) {
        return null;
      }
      Integer left = held.get(model);
      if (left == null || left == 0) {
        return null;
      }
      held.put(model, left - 1);
      return model;
    }

    /** Gives back the reserved slots no claimed simulation took. */
    void releaseRest() {
      held.forEach((model, left) -> {
        if (left > 0) {
          byModel.get(model).release(left);
        }
      });
      held.clear();
    }
  }
}
