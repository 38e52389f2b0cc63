package dev.cohort.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Turn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON stored in the JSON columns. Field names are snake_case, as in the REST API, so that a
 * user reading the database from Python or DuckDB sees the names they know.
 */
final class JsonCodec {
  private static final TypeReference<LinkedHashMap<String, @Nullable Object>> OBJECT = new TypeReference<>() {};

  private final ObjectMapper mapper = new ObjectMapper();

  String request(BatchRequest r) {
    ObjectNode n = mapper.createObjectNode();
    n.put("name", r.name());
    n.put("description", r.description());
    n.put("context", r.context());
    ArrayNode ids = n.putArray("entity_ids");
    r.entityIds().forEach(ids::add);
    n.put("interaction_size", r.interactionSize());
    n.put("num_simulations", r.numSimulations());
    n.put("n_turns", r.nTurns());
    n.put("simulation_rounds", r.simulationRounds());
    n.set("metadata", mapper.valueToTree(r.metadata()));
    n.put("interaction_style", r.interactionStyle());
    n.put("language", r.language());
    n.put("seed", r.seed());
    n.put("replicates", r.replicates());
    ObjectNode llm = n.putObject("llm");
    llm.put("model", r.llm().model());
    llm.put("temperature", r.llm().temperature());
    llm.put("max_tokens", r.llm().maxTokens());
    return write(n);
  }

  BatchRequest request(String json) {
    JsonNode n = read(json);
    JsonNode llm = n.path("llm");
    return BatchRequest.builder()
        .name(n.path("name").asText())
        .description(text(n, "description"))
        .context(n.path("context").asText())
        .entityIds(strings(n.path("entity_ids")))
        .interactionSize(n.path("interaction_size").asInt())
        .numSimulations(n.path("num_simulations").asInt())
        .nTurns(n.path("n_turns").asInt())
        .simulationRounds(n.path("simulation_rounds").asInt())
        .metadata(object(n.path("metadata")))
        .interactionStyle(n.path("interaction_style").asText())
        .language(n.path("language").asText())
        .seed(n.path("seed").isIntegralNumber() ? n.path("seed").asLong() : null)
        .replicates(n.path("replicates").asInt())
        .llm(new LlmOptions(
            text(llm, "model"),
            llm.path("temperature").isNumber() ? llm.path("temperature").asDouble() : null,
            llm.path("max_tokens").isIntegralNumber() ? llm.path("max_tokens").asInt() : null))
        .build();
  }

  String attributes(Entity e) {
    return write(mapper.valueToTree(e.attributes()));
  }

  Map<String, @Nullable Object> attributes(String json) {
    return object(read(json));
  }

  String entities(List<Entity> entities) {
    ArrayNode array = mapper.createArrayNode();
    for (Entity e : entities) {
      ObjectNode n = array.addObject();
      n.put("id", e.id());
      n.put("name", e.name());
      n.put("description", e.description());
      n.set("attributes", mapper.valueToTree(e.attributes()));
    }
    return write(array);
  }

  List<Entity> entities(String json) {
    List<Entity> out = new ArrayList<>();
    for (JsonNode n : read(json)) {
      out.add(new Entity(n.path("id").asText(), n.path("name").asText(), text(n, "description"),
          object(n.path("attributes"))));
    }
    return out;
  }

  String strings(List<String> values) {
    ArrayNode array = mapper.createArrayNode();
    values.forEach(array::add);
    return write(array);
  }

  List<String> strings(String json) {
    return strings(read(json));
  }

  String turns(List<Turn> turns) {
    ArrayNode array = mapper.createArrayNode();
    for (Turn t : turns) {
      ObjectNode n = array.addObject();
      n.put("round", t.round());
      n.put("turn_number", t.turnNumber());
      n.put("speaker_id", t.speakerId());
      n.put("speaker_name", t.speakerName());
      n.put("thought", t.thought());
      n.put("text", t.text());
    }
    return write(array);
  }

  /** Appends the turns stored in {@code json} to {@code out}. */
  void readTurns(String json, List<Turn> out) {
    for (JsonNode n : read(json)) {
      out.add(new Turn(n.path("round").asInt(), n.path("turn_number").asInt(), n.path("speaker_id").asText(),
          n.path("speaker_name").asText(), text(n, "thought"), n.path("text").asText()));
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>(array.size());
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private Map<String, @Nullable Object> object(JsonNode n) {
    return n.isObject() ? mapper.convertValue(n, OBJECT) : Map.of();
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isTextual() ? v.asText() : null;
  }

  private String write(JsonNode n) {
    try {
      return mapper.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new CohortException("could not write JSON: " + e.getOriginalMessage(), e);
    }
  }

  private JsonNode read(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CohortException("stored JSON is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
