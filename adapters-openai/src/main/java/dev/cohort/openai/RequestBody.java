package dev.cohort.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Writes the JSON body of a Chat Completions call. */
final class RequestBody {
  /** OpenAI's rule for a response format's name. */
  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String DEFAULT_SCHEMA_NAME = "response";

  private final ObjectMapper json;
  private final String defaultModel;
  private final String maxTokensField;
  private final OpenAiChatModel.ResponseFormat responseFormat;
  private final boolean strictSchema;
  private final Map<String, JsonNode> extraFields;

  RequestBody(
      ObjectMapper json,
      String defaultModel,
      boolean maxCompletionTokens,
      OpenAiChatModel.ResponseFormat responseFormat,
      boolean strictSchema,
      Map<String, JsonNode> extraFields) {
    this.json = json;
    this.defaultModel = defaultModel;
    this.maxTokensField = maxCompletionTokens ? "max_completion_tokens" : "max_tokens";
    this.responseFormat = responseFormat;
    this.strictSchema = strictSchema;
    this.extraFields = Map.copyOf(extraFields);
  }

  /** The model a request is sent to: its own, else the configured default. */
  String model(ChatRequest request) {
    String model = request.model();
    return model != null && !model.isBlank() ? model : defaultModel;
  }

  /** The body for {@code request}, as UTF-8 JSON. */
  byte[] write(ChatRequest request) {
    ObjectNode body = json.createObjectNode();
    body.put("model", model(request));
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage message : request.messages()) {
      messages.addObject().put("role", message.role().wireName()).put("content", message.content());
    }
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    if (request.maxTokens() != null) {
      body.put(maxTokensField, request.maxTokens());
    }
    if (request.seed() != null) {
      body.put("seed", request.seed());
    }
    @Nullable Map<String, Object> schema = request.jsonSchema();
    if (schema != null) {
      writeResponseFormat(body, schema);
    }
    extraFields.forEach(body::set);
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  private void writeResponseFormat(ObjectNode body, Map<String, Object> schema) {
    switch (responseFormat) {
      case JSON_SCHEMA:
        ObjectNode format = body.putObject("response_format").put("type", "json_schema");
        ObjectNode spec = format.putObject("json_schema");
        spec.put("name", schemaName(schema));
        spec.put("strict", strictSchema);
        spec.set("schema", json.valueToTree(schema));
        break;
      case JSON_OBJECT:
        body.putObject("response_format").put("type", "json_object");
        break;
      case NONE:
        break;
    }
  }

  private static String schemaName(Map<String, Object> schema) {
    Object title = schema.get("title");
    return title instanceof String && SCHEMA_NAME.matcher((String) title).matches()
        ? (String) title
        : DEFAULT_SCHEMA_NAME;
  }
}
