package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Entity;
import dev.cohort.http.CohortServer;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.testkit.Entities;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Seeded random mutations of valid REST bodies, sent to a running server: structural ones (a
 * required field dropped or nulled, a value of the wrong type or out of range, an unknown field)
 * must each get a 400 whose errors name broken fields and no others (for batches, every broken
 * field); byte-level ones (characters deleted,
 * inserted or replaced, the body cut short, invalid UTF-8) may happen to stay valid, but must
 * never get a 5xx or an answer without the error envelope. Afterwards the server still runs a
 * batch to completion.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRestBodyTest {
  static final int STRUCTURAL_CASES_PER_ROUTE = 750;
  static final int BYTE_CASES_PER_ROUTE = 500;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String BATCHES = "/api/batch-simulations";
  private static final String ENTITIES = "/api/entities";
  private static final List<String> REQUIRED_BATCH_FIELDS =
      List.of("name", "context", "entity_ids", "interaction_size", "num_simulations");
  private static final List<String> INTEGER_BATCH_FIELDS =
      List.of("interaction_size", "num_simulations", "n_turns", "simulation_rounds", "replicates", "max_tokens");
  private static final List<String> TEXT_BATCH_FIELDS =
      List.of("name", "context", "description", "interaction_style", "language", "model");
  private static final String NOISE = "{}[]\",:\\ \u0000\u001f\u00e9\u4e2d\ud83d\ude00ab01-.eE+truefalsenull";

  private static Cohort cohort;
  private static CohortServer server;
  private static HttpClient http;

  @BeforeAll
  static void startServer() {
    cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(InMemoryRepository.create()).build();
    cohort.saveEntities(Entities.sample());
    server = CohortServer.builder(cohort).build().start();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stopServer() {
    server.close();
    cohort.close();
  }

  @Test
  @Order(1)
  void everyStructurallyBrokenBatchBodyGetsA400NamingEachBrokenField() throws Exception {
    Random random = new Random(31L);
    for (int i = 0; i < STRUCTURAL_CASES_PER_ROUTE; i++) {
      ObjectNode body = validBatch();
      Set<String> broken = new LinkedHashSet<>();
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        broken.add(breakBatchField(body, random));
      }
      assertRefusedNaming(post(BATCHES, JSON.writeValueAsBytes(body)), broken, true, "batch case " + i + ": " + body);
    }
  }

  @Test
  @Order(2)
  void everyStructurallyBrokenEntityBodyGetsA400NamingEachBrokenField() throws Exception {
    Random random = new Random(32L);
    for (int i = 0; i < STRUCTURAL_CASES_PER_ROUTE; i++) {
      boolean array = random.nextBoolean();
      ObjectNode entity = validEntity(i);
      Set<String> broken = new LinkedHashSet<>();
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        broken.add(breakEntityField(entity, random));
      }
      JsonNode body = entity;
      if (array) {
        ArrayNode many = NODES.arrayNode();
        many.add(validEntity(10_000 + i));
        many.add(entity);
        body = many;
      }
      assertRefusedNaming(post(ENTITIES, JSON.writeValueAsBytes(body)), broken, false, "entity case " + i + ": " + body);
    }
  }

  @Test
  @Order(3)
  void everyByteMutatedBodyGetsAWellFormedAnswerAndNeverA5xx() throws Exception {
    Random random = new Random(33L);
    for (String route : List.of(BATCHES, ENTITIES)) {
      byte[] valid = JSON.writeValueAsBytes(route.equals(BATCHES) ? validBatch() : validEntity(0));
      for (int i = 0; i < BYTE_CASES_PER_ROUTE; i++) {
        byte[] body = mutateBytes(valid, random);
        HttpResponse<String> response = post(route, body);
        String what = route + " byte case " + i + ": " + new String(body, StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(what).isIn(200, 201, 400, 404, 413, 415);
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() >= 400) {
          assertThat(answer.path("status").asText()).as(what).isEqualTo("error");
          assertThat(answer.path("message").asText()).as(what).isNotBlank();
        } else {
          assertThat(answer.path("status").asText()).as(what).isEqualTo("success");
        }
      }
    }
  }

  @Test
  @Order(4)
  void bodiesBuiltToHurtTheParserGetA4xx() throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    bodies.add(new byte[0]);
    bodies.add("null".getBytes(StandardCharsets.UTF_8));
    bodies.add("[]".getBytes(StandardCharsets.UTF_8));
    bodies.add("\"just a string\"".getBytes(StandardCharsets.UTF_8));
    bodies.add("[".repeat(100_000).getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"metadata\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001)).getBytes(StandardCharsets.UTF_8));
    bodies.add(("{\"name\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
    bodies.add("{\"num_simulations\": 1e400}".getBytes(StandardCharsets.UTF_8));
    bodies.add("{\"num_simulations\": 123456789012345678901234567890}".getBytes(StandardCharsets.UTF_8));
    bodies.add(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
    bodies.add(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
    for (String route : List.of(BATCHES, ENTITIES)) {
      for (byte[] body : bodies) {
        HttpResponse<String> response = post(route, body);
        String what = route + " with a body of " + body.length + " bytes starting "
            + new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(what).isBetween(400, 499);
        assertThat(JSON.readTree(response.body()).path("message").asText()).as(what).isNotBlank();
      }
    }
  }

  @Test
  @Order(5)
  void theServerStillRunsANormalBatchAfterTheHostileCorpus() throws Exception {
    HttpResponse<String> created = post(BATCHES, JSON.writeValueAsBytes(validBatch()));
    assertThat(created.statusCode()).isEqualTo(201);
    String id = JSON.readTree(created.body()).path("data").path("id").asText();
    assertThat(cohort.await(id, Duration.ofSeconds(60)).counts().completed()).isEqualTo(3);
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  /**
   * A 400 with the error envelope whose errors name only broken fields: all of them when {@code
   * all}, else at least one (the entity reader stops at a field's type before checking the rest).
   */
  private static void assertRefusedNaming(HttpResponse<String> response, Set<String> broken, boolean all, String what)
      throws IOException {
    assertThat(response.statusCode()).as(what).isEqualTo(400);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("status").asText()).as(what).isEqualTo("error");
    assertThat(answer.path("message").asText()).as(what).isNotBlank();
    List<String> fields = new ArrayList<>();
    answer.path("errors").forEach(e -> fields.add(e.path("field").asText()));
    // A broken pool can make a valid interaction_size too large for it: that is a fair complaint.
    assertThat(fields).as("%s: errors %s name only broken fields %s", what, fields, broken)
        .isNotEmpty()
        .allMatch(f -> broken.stream().anyMatch(f::contains)
            || (f.equals("interaction_size") && broken.contains("entity_ids")));
    if (all) {
      for (String field : broken) {
        assertThat(fields).as("%s: errors %s name %s", what, fields, field).anyMatch(f -> f.contains(field));
      }
    }
  }

  private static ObjectNode validBatch() {
    ObjectNode body = NODES.objectNode();
    body.put("name", "A panel");
    body.put("context", "A panel discussion about potential solutions to climate change.");
    ArrayNode ids = body.putArray("entity_ids");
    Entities.sample().forEach(e -> ids.add(e.id()));
    body.put("interaction_size", 2);
    body.put("num_simulations", 3);
    body.put("n_turns", 1);
    body.put("seed", 5);
    body.putObject("metadata").put("category", "climate");
    return body;
  }

  private static ObjectNode validEntity(int i) {
    ObjectNode entity = NODES.objectNode();
    entity.put("id", "hostile-" + i);
    entity.put("name", "Person " + i);
    entity.put("description", "Someone.");
    entity.putObject("attributes").put("age", 30 + i % 50);
    return entity;
  }

  /** Breaks one field of a batch body; returns the field the answer must name. */
  private static String breakBatchField(ObjectNode body, Random r) {
    switch (r.nextInt(7)) {
      case 0 -> {
        String field = REQUIRED_BATCH_FIELDS.get(r.nextInt(REQUIRED_BATCH_FIELDS.size()));
        if (r.nextBoolean()) {
          body.remove(field);
        } else {
          body.putNull(field);
        }
        return field;
      }
      case 1 -> {
        String field = INTEGER_BATCH_FIELDS.get(r.nextInt(INTEGER_BATCH_FIELDS.size()));
        body.set(field, wrongForInteger(r));
        return field;
      }
      case 2 -> {
        String field = INTEGER_BATCH_FIELDS.get(r.nextInt(INTEGER_BATCH_FIELDS.size()));
        // Above the field's maximum only where that maximum does not depend on another field.
        boolean bounded = !field.equals("max_tokens") && !field.equals("interaction_size");
        long[] values = bounded ? new long[] {0, -1, Integer.MIN_VALUE, 10_000_001L, Long.MAX_VALUE}
            : new long[] {0, -1, Integer.MIN_VALUE, Long.MAX_VALUE};
        body.put(field, values[r.nextInt(values.length)]);
        return field;
      }
      case 3 -> {
        String field = TEXT_BATCH_FIELDS.get(r.nextInt(TEXT_BATCH_FIELDS.size()));
        body.set(field, wrongForText(r));
        return field;
      }
      case 4 -> {
        ArrayNode ids = NODES.arrayNode();
        switch (r.nextInt(4)) {
          case 0 -> ids.add(1).add(2);
          case 1 -> ids.addNull().add("e1-ada");
          case 2 -> ids.add("e1-ada").add("e1-ada");
          default -> ids.add(" ");
        }
        body.set("entity_ids", r.nextInt(5) == 0 ? NODES.textNode("e1-ada,e2-boris") : ids);
        return "entity_ids";
      }
      case 5 -> {
        String field = r.nextBoolean() ? "temperature" : "seed";
        body.set(field, r.nextBoolean() ? NODES.textNode("warm") : NODES.arrayNode());
        return field;
      }
      default -> {
        String unknown = new String[] {"n_turn", "entities", "interactionSize", "__proto__", "seed "}[r.nextInt(5)];
        body.put(unknown, 3);
        return unknown;
      }
    }
  }

  /** Breaks one field of an entity body; returns the field the answer must name. */
  private static String breakEntityField(ObjectNode entity, Random r) {
    switch (r.nextInt(5)) {
      case 0 -> {
        String field = r.nextBoolean() ? "id" : "name";
        if (r.nextBoolean()) {
          entity.remove(field);
        } else {
          entity.set(field, r.nextBoolean() ? NODES.nullNode() : NODES.textNode(" \t"));
        }
        return field;
      }
      case 1 -> {
        String field = new String[] {"id", "name", "description"}[r.nextInt(3)];
        entity.set(field, wrongForText(r));
        return field;
      }
      case 2 -> {
        entity.set("attributes", r.nextBoolean() ? NODES.arrayNode().add(1) : NODES.textNode("tall"));
        return "attributes";
      }
      case 3 -> {
        entity.put("id", "i".repeat(Entity.MAX_ID_LENGTH + 1 + r.nextInt(100)));
        return "id";
      }
      default -> {
        String unknown = new String[] {"identifier", "Name", "attribute", "age"}[r.nextInt(4)];
        entity.put(unknown, "x");
        return unknown;
      }
    }
  }

  private static JsonNode wrongForInteger(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> NODES.textNode("3");
      case 1 -> NODES.numberNode(2.5);
      case 2 -> NODES.booleanNode(true);
      case 3 -> NODES.arrayNode().add(3);
      case 4 -> NODES.objectNode().put("value", 3);
      default -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
    };
  }

  private static JsonNode wrongForText(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> NODES.numberNode(42);
      case 1 -> NODES.booleanNode(false);
      case 2 -> NODES.arrayNode().add("a");
      default -> NODES.objectNode().put("text", "a");
    };
  }

  /** One to four byte-level changes: delete, insert, replace, cut short, or splice in invalid UTF-8. */
  private static byte[] mutateBytes(byte[] valid, Random r) {
    byte[] body = valid;
    for (int n = 1 + r.nextInt(4); n > 0 && body.length > 0; n--) {
      int at = r.nextInt(body.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (r.nextInt(5)) {
        case 0 -> {
          out.write(body, 0, at);
          out.write(body, at + 1, body.length - at - 1);
        }
        case 1 -> {
          out.write(body, 0, at);
          out.writeBytes(noise(r));
          out.write(body, at, body.length - at);
        }
        case 2 -> {
          out.write(body, 0, at);
          out.writeBytes(noise(r));
          out.write(body, Math.min(body.length, at + 1), body.length - Math.min(body.length, at + 1));
        }
        case 3 -> out.write(body, 0, at);
        default -> {
          out.write(body, 0, at);
          out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
          out.write(body, at, body.length - at);
        }
      }
      body = out.toByteArray();
    }
    return body;
  }

  private static byte[] noise(Random r) {
    int start = r.nextInt(NOISE.length() - 1);
    return NOISE.substring(start, Math.min(NOISE.length(), start + 1 + r.nextInt(3))).getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
    URI uri = server.uri().resolve(path);
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
