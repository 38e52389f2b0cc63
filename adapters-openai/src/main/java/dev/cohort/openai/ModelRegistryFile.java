package dev.cohort.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.core.ModelRegistry;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.spend.ModelPrice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a model registry file: named OpenAI-compatible models, each with its endpoint, model,
 * the environment variable that holds its key (never the key itself), its rate limit, optionally
 * its price, and optionally {@code max_in_flight}: most of its simulations running at once (see
 * {@link ModelRegistry.Builder#maxInFlight}; without it, only the global limit applies).
 *
 * <pre>{@code
 * {"models": {
 *   "mini":  {"model": "gpt-4o-mini", "api_key_env": "OPENAI_API_KEY", "rpm": 500, "tpm": 200000,
 *             "max_in_flight": 16},
 *   "llama": {"base_url": "http://localhost:11434/v1", "model": "llama3.1",
 *             "price": {"input_per_million": 0, "cached_input_per_million": 0, "output_per_million": 0}},
 *   "azure": {"azure_endpoint": "https://my-resource.openai.azure.com", "azure_deployment": "gpt-4o-mini",
 *             "api_key_env": "AZURE_OPENAI_API_KEY"}}}
 * }</pre>
 */
public final class ModelRegistryFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ENTRY_FIELDS = Set.of("base_url", "model", "api_key_env", "rpm", "tpm",
      "azure_endpoint", "azure_deployment", "azure_api_version", "price", "max_in_flight");
  private static final Set<String> PRICE_FIELDS = Set.of("input_per_million", "cached_input_per_million",
      "output_per_million");

  private ModelRegistryFile() {}

  /**
   * The registry {@code json} describes, keys read from {@code env}.
   *
   * @throws ValidationException naming every bad entry and field ({@code models.NAME.FIELD}),
   *     such as a key variable that is not set
   */
  public static ModelRegistry read(String json, Map<String, String> env) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(env, "env");
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ValidationException("models", "the model registry is not JSON: " + e.getOriginalMessage());
    }
    List<FieldError> errors = new ArrayList<>();
    JsonNode models = root == null ? null : root.get("models");
    if (root == null || !root.isObject() || models == null || !models.isObject() || models.isEmpty()) {
      throw new ValidationException("models", "must be an object {\"models\": {\"NAME\": {\"model\": …}}} naming"
          + " at least one model");
    }
    root.fieldNames().forEachRemaining(name -> {
      if (!name.equals("models")) {
        errors.add(new FieldError(name, "is not a field of a model registry; it holds only models"));
      }
    });
    ModelRegistry.Builder registry = ModelRegistry.builder();
    for (Map.Entry<String, JsonNode> e : models.properties()) {
      entry(e.getKey(), e.getValue(), env, registry, errors);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return registry.build();
  }

  private static void entry(String name, JsonNode node, Map<String, String> env, ModelRegistry.Builder registry,
      List<FieldError> errors) {
    String path = "models." + name;
    if (!node.isObject()) {
      errors.add(new FieldError(path, "must be an object such as {\"model\": \"gpt-4o-mini\"}"));
      return;
    }
    int before = errors.size();
    node.fieldNames().forEachRemaining(field -> {
      if (!ENTRY_FIELDS.contains(field)) {
        errors.add(new FieldError(path + "." + field, "is not a field of a model entry; known: "
            + String.join(", ", new java.util.TreeSet<>(ENTRY_FIELDS))));
      }
    });
    @Nullable String baseUrl = text(node, path, "base_url", errors);
    @Nullable String model = text(node, path, "model", errors);
    @Nullable String keyVariable = text(node, path, "api_key_env", errors);
    @Nullable String azureEndpoint = text(node, path, "azure_endpoint", errors);
    @Nullable String azureDeployment = text(node, path, "azure_deployment", errors);
    @Nullable String azureVersion = text(node, path, "azure_api_version", errors);
    @Nullable Integer rpm = positive(node, path, "rpm", errors);
    @Nullable Integer tpm = positive(node, path, "tpm", errors);
    @Nullable Integer maxInFlight = positive(node, path, "max_in_flight", errors);
    @Nullable ModelPrice price = price(node.get("price"), path + ".price", errors);
    if (azureEndpoint == null && azureDeployment == null && model == null) {
      errors.add(new FieldError(path + ".model", "is required: the provider's model, such as gpt-4o-mini"));
    }
    if ((azureEndpoint == null) != (azureDeployment == null)) {
      errors.add(new FieldError(path, "an Azure entry needs both azure_endpoint and azure_deployment"));
    }
    if (azureEndpoint != null && baseUrl != null) {
      errors.add(new FieldError(path + ".base_url", "cannot be given with azure_endpoint; give one"));
    }
    @Nullable String key = null;
    if (keyVariable != null) {
      key = env.get(keyVariable);
      if (key == null || key.isBlank()) {
        errors.add(new FieldError(path + ".api_key_env", "names $" + keyVariable + ", which is not set"));
      }
    }
    if (errors.size() > before) {
      return;
    }
    try {
      OpenAiChatModel.Builder llm = OpenAiChatModel.builder();
      if (azureEndpoint != null && azureDeployment != null) {
        llm.azure(azureEndpoint, azureDeployment);
        if (azureVersion != null) {
          llm.azureApiVersion(azureVersion);
        }
      } else if (baseUrl != null) {
        llm.baseUrl(baseUrl);
      }
      if (model != null) {
        llm.model(model);
      }
      if (key != null) {
        llm.apiKey(key);
      }
      RateLimit limit = RateLimit.NONE;
      if (rpm != null) {
        limit = limit.withRequestsPerMinute(rpm);
      }
      if (tpm != null) {
        limit = limit.withTokensPerMinute(tpm);
      }
      registry.model(name, llm.build(), limit, price);
      if (maxInFlight != null) {
        registry.maxInFlight(name, maxInFlight);
      }
    } catch (ValidationException e) {
      for (FieldError error : e.errors()) {
        errors.add(new FieldError(path, error.field() + " " + error.message()));
      }
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(path, e.getMessage()));
    }
  }

  /**
   * The entries whose endpoint does not accept a connection within {@code timeout}, by name, with
   * why: a start-up check that names an unreachable model before its simulations fail. Offline
   * models (no network endpoint) are not checked.
   */
  public static Map<String, String> unreachable(ModelRegistry registry, Duration timeout) {
    Map<String, String> down = new LinkedHashMap<>();
    for (ModelRegistry.Entry e : registry.entries()) {
      String endpoint = e.llm().endpoint();
      if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
        continue;
      }
      URI uri = URI.create(endpoint);
      int port = uri.getPort() != -1 ? uri.getPort() : endpoint.startsWith("https://") ? 443 : 80;
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.max(1, timeout.toMillis()));
      } catch (IOException | IllegalArgumentException failure) {
        down.put(e.name(), endpoint + " did not accept a connection: " + failure.getMessage());
      }
    }
    return down;
  }

  private static @Nullable String text(JsonNode node, String path, String field, List<FieldError> errors) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() || value.textValue().isBlank()) {
      errors.add(new FieldError(path + "." + field, "must be a non-blank string"));
      return null;
    }
    return value.textValue().strip();
  }

  private static @Nullable Integer positive(JsonNode node, String path, String field, List<FieldError> errors) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
      errors.add(new FieldError(path + "." + field, "must be a whole number of at least 1, was " + value));
      return null;
    }
    return value.intValue();
  }

  private static @Nullable ModelPrice price(@Nullable JsonNode node, String path, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      errors.add(new FieldError(path, "must be an object of input_per_million, cached_input_per_million and"
          + " output_per_million"));
      return null;
    }
    double[] values = new double[3];
    int i = 0;
    boolean ok = true;
    for (String field : List.of("input_per_million", "cached_input_per_million", "output_per_million")) {
      JsonNode value = node.get(field);
      if (value == null || !value.isNumber() || value.doubleValue() < 0 || !Double.isFinite(value.doubleValue())) {
        errors.add(new FieldError(path + "." + field, "must be a number of US dollars of at least 0"));
        ok = false;
      } else {
        values[i] = value.doubleValue();
      }
      i++;
    }
    node.fieldNames().forEachRemaining(field -> {
      if (!PRICE_FIELDS.contains(field)) {
        errors.add(new FieldError(path + "." + field, "is not a field of a price"));
      }
    });
    return ok ? ModelPrice.of(values[0], values[1], values[2]) : null;
  }
}
