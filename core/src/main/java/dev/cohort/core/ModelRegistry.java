package dev.cohort.core;

import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.core.spend.PriceTable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Named models a {@link Cohort} can run a batch on, so a batch can make the model a design factor
 * ({@link dev.cohort.core.batch.BatchRequest#models()}). Each name has its own {@link LlmPort}, its
 * own rate limit (a 429 from one provider never pauses another's calls), optionally its own
 * price and its own limit on simulations in flight (so one model's slow or refused calls never
 * hold every slot of the {@link Cohort.Builder#maxInFlight global limit}). Immutable.
 *
 * <pre>{@code
 * ModelRegistry models = ModelRegistry.builder()
 *     .model("mini", OpenAiChatModel.builder().model("gpt-4o-mini").build(), RateLimit.of(500, 200_000))
 *     .model("llama", OpenAiChatModel.builder().baseUrl("http://localhost:11434/v1").model("llama3.1").build())
 *     .build();
 * Cohort cohort = Cohort.builder().models(models).repository(repository).build();
 * }</pre>
 */
public final class ModelRegistry {
  /** Longest model name. */
  public static final int MAX_NAME_LENGTH = 100;
  /**
   * An entry's {@link Entry#maxInFlight()} when the model has no in-flight limit of its own: its
   * simulations are bounded only by the {@link Cohort}'s global limit. The default.
   */
  public static final int NO_IN_FLIGHT_LIMIT = 0;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");

  /**
   * One named model.
   *
   * @param name how requests name it
   * @param llm the model
   * @param rateLimit the pacing of its calls alone; {@link RateLimit#NONE} for none
   * @param price what its calls cost, or null to price them with the {@link Cohort}'s table by the
   *     model name the provider returns
   * @param maxInFlight most simulations planned for this model running at once in one {@link
   *     Cohort} (within its global {@link Cohort.Builder#maxInFlight limit}), or {@link
   *     #NO_IN_FLIGHT_LIMIT} for none of its own
   */
  public record Entry(String name, LlmPort llm, RateLimit rateLimit, @Nullable ModelPrice price, int maxInFlight) {
    public Entry {
      checkName(name);
      Objects.requireNonNull(llm, "llm");
      Objects.requireNonNull(rateLimit, "rateLimit");
      if (maxInFlight < 0) {
        throw new IllegalArgumentException("maxInFlight of model '" + name + "' must be at least 1 (or "
            + NO_IN_FLIGHT_LIMIT + " for no limit of its own), was " + maxInFlight);
      }
    }

    /** An entry without an in-flight limit of its own. */
    public Entry(String name, LlmPort llm, RateLimit rateLimit, @Nullable ModelPrice price) {
      this(name, llm, rateLimit, price, NO_IN_FLIGHT_LIMIT);
    }

    /** Whether this model has an in-flight limit of its own. */
    public boolean limitsInFlight() {
      return maxInFlight != NO_IN_FLIGHT_LIMIT;
    }

    /** The name a price table matches this model's calls by: the port's model, else the entry's name. */
    public String pricedAs() {
      return llm.modelName().orElse(name);
    }
  }

  private final Map<String, Entry> entries;

  private ModelRegistry(Map<String, Entry> entries) {
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  /** A builder of a registry; it needs at least one model. */
  public static Builder builder() {
    return new Builder();
  }

  /** The names, in the order they were added. */
  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  /** Every entry, in the order they were added. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The entry of {@code name}, if there is one. */
  public Optional<Entry> find(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** Whether {@code name} is registered. */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** The first model added: what a request that names no model runs on when no other default is set. */
  public Entry first() {
    return entries.values().iterator().next();
  }

  /**
   * {@code base} with the price of every entry that has one under the name its calls are priced by
   * ({@link Entry#pricedAs()}), and every entry's price (its own, else {@code base}'s for the name
   * its calls are priced by) under its registry name too, so a budget can price a call before the
   * provider has answered.
   */
  public PriceTable pricesOver(PriceTable base) {
    PriceTable prices = Objects.requireNonNull(base, "base");
    for (Entry e : entries.values()) {
      ModelPrice own = e.price();
      if (own != null) {
        prices = prices.with(e.pricedAs(), own);
      }
      Optional<ModelPrice> price = own != null ? Optional.of(own) : base.find(e.pricedAs());
      if (price.isPresent()) {
        prices = prices.with(e.name(), price.get());
      }
    }
    return prices;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ModelRegistry[");
    String separator = "";
    for (Entry e : entries.values()) {
      // describe() is secret-free by contract, so this can be logged.
      s.append(separator).append(e.name()).append('=').append(e.llm().describe());
      separator = ", ";
    }
    return s.append(']').toString();
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("model name '" + name + "' must be 1 to " + MAX_NAME_LENGTH
          + " letters, digits and . _ : / - characters, starting with a letter or digit");
    }
  }

  /** Collects named models; each name once. */
  public static final class Builder {
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private Builder() {}

    /** Adds {@code llm} as {@code name}, without a rate limit or price of its own. */
    public Builder model(String name, LlmPort llm) {
      return model(name, llm, RateLimit.NONE, null);
    }

    /** Adds {@code llm} as {@code name}, paced by {@code rateLimit} alone. */
    public Builder model(String name, LlmPort llm, RateLimit rateLimit) {
      return model(name, llm, rateLimit, null);
    }

    /**
     * Adds {@code llm} as {@code name}, paced by {@code rateLimit} alone and priced with {@code
     * price} (null: by the {@link Cohort}'s price table).
     *
     * @throws IllegalArgumentException when the name is malformed or already added
     */
    public Builder model(String name, LlmPort llm, RateLimit rateLimit, @Nullable ModelPrice price) {
      Entry entry = new Entry(name, llm, rateLimit, price);
      if (entries.containsKey(name)) {
        throw new IllegalArgumentException("model name '" + name + "' was already added");
      }
      entries.put(name, entry);
      return this;
    }

    /**
     * Bounds how many simulations planned for {@code name} run at once, so that when its provider
     * slows down or refuses calls (a 429 storm) its simulations, waiting on it, cannot take every
     * slot of the global in-flight limit from the other models. The runner claims a model's
     * simulations only while it has a free slot; the other models' are claimed meanwhile, in
     * sequence order. Without it, the model has no limit of its own.
     *
     * @throws IllegalArgumentException when {@code name} was not added or {@code maxInFlight} is
     *     less than 1
     */
    public Builder maxInFlight(String name, int maxInFlight) {
      Objects.requireNonNull(name, "name");
      Entry entry = entries.get(name);
      if (entry == null) {
        throw new IllegalArgumentException("maxInFlight names model '" + name + "', which was not added; add it"
            + " first with model(name, llm)");
      }
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight of model '" + name + "' must be at least 1, was "
            + maxInFlight);
      }
      entries.put(name, new Entry(name, entry.llm(), entry.rateLimit(), entry.price(), maxInFlight));
      return this;
    }

    /**
     * The registry.
     *
     * @throws IllegalStateException when no model was added
     */
    public ModelRegistry build() {
      if (entries.isEmpty()) {
        throw new IllegalStateException("a model registry needs at least one model: add one with model(name, llm)");
      }
      return new ModelRegistry(entries);
    }
  }
}
