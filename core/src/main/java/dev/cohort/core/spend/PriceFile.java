package dev.cohort.core.spend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.internal.codec.JsonText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the price file format of {@link PriceTable}, collecting every field error with its path. */
final class PriceFile {
  private static final Set<String> TOP_FIELDS = Set.of("models", "as_of", "source");
  private static final Set<String> PRICE_FIELDS =
      Set.of("input_per_million", "cached_input_per_million", "output_per_million", "batch_discount");

  private PriceFile() {}

  static PriceTable read(String json) {
    JsonNode root = JsonText.parse(json.getBytes(StandardCharsets.UTF_8), "prices");
    List<FieldError> errors = new ArrayList<>();
    if (!root.isObject()) {
      throw new ValidationException("prices", "must be a JSON object with a \"models\" object");
    }
    unknownFields(root, TOP_FIELDS, "", errors);
    JsonNode models = root.path("models");
    Map<String, ModelPrice> prices = new LinkedHashMap<>();
    if (!models.isObject()) {
      errors.add(new FieldError("models", "is required: an object of model name to prices"));
    } else {
      for (Map.Entry<String, JsonNode> model : models.properties()) {
        ModelPrice price = price(model.getValue(), "models." + model.getKey(), errors);
        if (model.getKey().isBlank()) {
          errors.add(new FieldError("models", "has a blank model name"));
        } else if (price != null) {
          prices.put(model.getKey(), price);
        }
      }
    }
    String asOf = text(root, "as_of", errors);
    String source = text(root, "source", errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new PriceTable(prices, asOf, source);
  }

  private static @Nullable ModelPrice price(JsonNode node, String path, List<FieldError> errors) {
    if (!node.isObject()) {
      errors.add(new FieldError(path, "must be an object of prices"));
      return null;
    }
    int before = errors.size();
    unknownFields(node, PRICE_FIELDS, path + ".", errors);
    Double input = number(node, path, "input_per_million", true, errors);
    Double output = number(node, path, "output_per_million", true, errors);
    Double cached = number(node, path, "cached_input_per_million", false, errors);
    Double discount = number(node, path, "batch_discount", false, errors);
    if (discount != null && !(discount > 0 && discount <= 1)) {
      errors.add(new FieldError(path + ".batch_discount", "must be greater than 0 and at most 1, was " + discount));
    }
    if (errors.size() > before || input == null || output == null) {
      return null;
    }
    return new ModelPrice(input, cached != null ? cached : input, output, discount != null ? discount : 1);
  }

  private static @Nullable Double number(
      JsonNode node, String path, String field, boolean required, List<FieldError> errors) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        errors.add(new FieldError(path + "." + field, "is required: US dollars per million tokens"));
      }
      return null;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue()) || value.doubleValue() < 0) {
      errors.add(new FieldError(path + "." + field, "must be a number >= 0, was " + JsonText.describe(value)));
      return null;
    }
    return value.doubleValue();
  }

  private static @Nullable String text(JsonNode root, String field, List<FieldError> errors) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      errors.add(new FieldError(field, "must be a string, was " + JsonText.describe(value)));
      return null;
    }
    return value.asText();
  }

  private static void unknownFields(JsonNode node, Set<String> known, String prefix, List<FieldError> errors) {
    node.fieldNames().forEachRemaining(name -> {
      if (!known.contains(name)) {
        errors.add(new FieldError(prefix + name, "is not a known field; known: " + String.join(", ", known.stream().sorted().toList())));
      }
    });
  }
}
