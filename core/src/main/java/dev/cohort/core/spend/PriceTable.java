package dev.cohort.core.spend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Prices per model, immutable. {@link #builtIn()} holds the common OpenAI models (its date and
 * source are {@link #asOf()} and {@link #source()}); {@link #parse} reads a price file, and {@link
 * #withAll} lays one table over another, so a user overrides and extends the built-in prices.
 *
 * <p>A price file is JSON: {@code {"models": {"NAME": {"input_per_million": 0.15,
 * "cached_input_per_million": 0.075, "output_per_million": 0.60, "batch_discount": 0.5}}}}; the
 * cached price defaults to the input price and the discount to 1 (none). Optional top-level
 * {@code "as_of"} and {@code "source"} say where the prices come from.
 *
 * <p>{@link #find} matches the name a provider returns: exactly (ignoring case), else without a
 * dated snapshot suffix, so {@code gpt-4o-mini-2024-07-18} is priced as {@code gpt-4o-mini} unless
 * the table names the snapshot itself.
 */
public final class PriceTable {
  private static final String BUILT_IN_RESOURCE = "prices.json";
  /** A snapshot suffix: {@code -2024-07-18}, or the older {@code -0613} form. */
  private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{4})$");
  private static final PriceTable EMPTY = new PriceTable(Map.of(), null, null);

  private final Map<String, ModelPrice> prices;
  private final @Nullable String asOf;
  private final @Nullable String source;

  PriceTable(Map<String, ModelPrice> prices, @Nullable String asOf, @Nullable String source) {
    Map<String, ModelPrice> byName = new LinkedHashMap<>();
    prices.forEach((name, price) -> byName.put(key(name), price));
    this.prices = Map.copyOf(byName);
    this.asOf = asOf;
    this.source = source;
  }

  /** A table without prices: every cost is unknown. */
  public static PriceTable empty() {
    return EMPTY;
  }

  /** The prices Cohort ships for the common OpenAI models; see {@link #asOf()} and {@link #source()}. */
  public static PriceTable builtIn() {
    return BuiltIn.TABLE;
  }

  /**
   * Reads a price file.
   *
   * @throws dev.cohort.core.batch.ValidationException naming each bad field ({@code
   *     models.NAME.input_per_million}, …) and why
   */
  public static PriceTable parse(String json) {
    Objects.requireNonNull(json, "json");
    return PriceFile.read(json);
  }

  /** This table with {@code name} priced at {@code price} (replacing its price, if any). */
  public PriceTable with(String name, ModelPrice price) {
    Objects.requireNonNull(price, "price");
    Map<String, ModelPrice> merged = new LinkedHashMap<>(prices);
    merged.put(key(name), price);
    return new PriceTable(merged, asOf, source);
  }

  /** This table with every price of {@code overrides} laid over it; the date and source are the overrides'. */
  public PriceTable withAll(PriceTable overrides) {
    Map<String, ModelPrice> merged = new LinkedHashMap<>(prices);
    merged.putAll(overrides.prices);
    return new PriceTable(
        merged, overrides.asOf != null ? overrides.asOf : asOf, overrides.source != null ? overrides.source : source);
  }

  /** The price of the model a provider named, matched as the class comment says; empty when unknown. */
  public Optional<ModelPrice> find(@Nullable String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    String name = key(model);
    ModelPrice exact = prices.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    String family = SNAPSHOT_SUFFIX.matcher(name).replaceFirst("");
    return Optional.ofNullable(prices.get(family));
  }

  /**
   * What {@code usage} cost at the price of {@code model} (matched as {@link #find} does), or null
   * when that model has no price: an unknown cost, never 0.
   */
  public @Nullable Double costUsd(@Nullable String model, dev.cohort.core.batch.TokenUsage usage) {
    Objects.requireNonNull(usage, "usage");
    return find(model).map(price -> price.costUsd(usage)).orElse(null);
  }

  /** The model names priced, in lower case. */
  public Map<String, ModelPrice> prices() {
    return prices;
  }

  /** The date the prices were taken, when the table says it. */
  public Optional<String> asOf() {
    return Optional.ofNullable(asOf);
  }

  /** Where the prices were taken from, when the table says it. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PriceTable other && prices.equals(other.prices) && Objects.equals(asOf, other.asOf)
        && Objects.equals(source, other.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prices, asOf, source);
  }

  @Override
  public String toString() {
    return "PriceTable" + prices.keySet() + (asOf != null ? " as of " + asOf : "");
  }

  private static String key(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a model name must not be blank");
    }
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** Loaded on first use, once. */
  private static final class BuiltIn {
    static final PriceTable TABLE = load();

    private static PriceTable load() {
      try (InputStream in = PriceTable.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the built-in price table " + BUILT_IN_RESOURCE + " is missing from cohort-core");
        }
        return PriceFile.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the built-in price table", e);
      }
    }
  }
}
