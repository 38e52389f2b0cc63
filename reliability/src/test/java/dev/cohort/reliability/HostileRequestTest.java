package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.testkit.Entities;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations of a valid batch request and of valid entities, built through the Java
 * API: one to three fields at a time get a value that must be refused (null, blank, too long, out
 * of range, not JSON, nested without end, referring to itself). Every case ends in one {@link
 * ValidationException} naming each broken field and nothing else, and afterwards a normal batch
 * still completes, on a SQLite store too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRequestTest {
  static final int REQUEST_CASES = 4_000;
  static final int ENTITY_CASES = 2_000;
  private static final List<String> POOL = Entities.sample().stream().map(Entity::id).toList();
  private static final Set<String> REQUEST_FIELDS = Set.of("name", "description", "context", "entity_ids",
      "interaction_size", "num_simulations", "n_turns", "simulation_rounds", "replicates", "interaction_style",
      "language", "metadata", "llm", "temperature", "max_tokens", "model");

  @TempDir Path dir;

  /**
   * A change that breaks fields of a request builder; returns the fields it broke that must be
   * named whatever else is broken.
   */
  @FunctionalInterface
  private interface RequestMutation extends BiFunction<BatchRequest.Builder, Random, List<String>> {}

  @Test
  @Order(1)
  void everyMutatedBatchRequestIsRefusedNamingEachBrokenField() {
    List<RequestMutation> mutations = requestMutations();
    Random random = new Random(20_261_128L);
    for (int i = 0; i < REQUEST_CASES; i++) {
      BatchRequest.Builder builder = valid();
      Set<String> broken = new TreeSet<>();
      List<Integer> picked = pick(random, mutations.size(), 1 + random.nextInt(3));
      for (int m : picked) {
        broken.addAll(mutations.get(m).apply(builder, random));
      }
      String what = "request case " + i + " (mutations " + picked + ")";
      ValidationException refused = refusal(what, builder::build);
      Set<String> named = refused.errors().stream().map(FieldError::field).collect(Collectors.toSet());
      assertThat(named).as("%s: fields named, %s broken", what, broken).isNotEmpty().isSubsetOf(REQUEST_FIELDS)
          .containsAll(fieldsOf(broken));
      assertThat(refused.errors()).as(what).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }
  }

  @Test
  @Order(2)
  void everyMutatedEntityIsRefusedNamingEachBrokenField() {
    Random random = new Random(7_777L);
    for (int i = 0; i < ENTITY_CASES; i++) {
      String id = "entity-" + i;
      String name = "Name " + i;
      Map<String, @Nullable Object> attributes = new LinkedHashMap<>(Map.of("age", 40, "tags", List.of("a", "b")));
      Set<String> broken = new TreeSet<>();
      for (int m : pick(random, 3, 1 + random.nextInt(3))) {
        switch (m) {
          case 0 -> {
            id = badText(random, Entity.MAX_ID_LENGTH);
            broken.add("id");
          }
          case 1 -> {
            name = badText(random, -1);
            broken.add("name");
          }
          default -> {
            BadJson bad = badJsonObject(random);
            attributes = bad.map();
            broken.add("attributes (" + bad.kind() + ")");
          }
        }
      }
      String what = "entity case " + i + " breaking " + broken;
      Set<String> expected = fieldsOf(broken);
      String finalId = id;
      String finalName = name;
      Map<String, @Nullable Object> finalAttributes = attributes;
      ValidationException refused = refusal(what, () -> new Entity(finalId, finalName, "A description.", finalAttributes));
      assertThat(refused.errors()).extracting(FieldError::field).as(what)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  @Order(3)
  void aNormalBatchStillCompletesAfterTheHostileCorpus() {
    try (JdbcRepository sqlite = JdbcRepository.sqlite(dir.resolve("after.db"))) {
      for (var repository : List.of(InMemoryRepository.create(), sqlite)) {
        try (Cohort cohort = Cohort.builder().llm(SimulatedLlm.create()).repository(repository).build()) {
          cohort.saveEntities(Entities.sample());
          Batch batch = cohort.run(valid().build());
          assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
          assertThat(batch.counts().completed()).isEqualTo(4);
        }
      }
    }
  }

  /** Field names without the explanation in brackets some of them carry. */
  private static Set<String> fieldsOf(Set<String> broken) {
    return broken.stream().map(f -> f.replaceFirst(" \\(.*", "")).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Runs {@code build}, which must throw a ValidationException and nothing else. */
  private static ValidationException refusal(String what, Runnable build) {
    try {
      build.run();
    } catch (ValidationException e) {
      return e;
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw new AssertionError(what + ": refused with " + e.getClass().getName() + " instead of a ValidationException",
          e);
    }
    throw new AssertionError(what + ": accepted");
  }

  private static BatchRequest.Builder valid() {
    return BatchRequest.builder()
        .name("A panel")
        .context("A panel discussion about potential solutions to climate change.")
        .entityIds(POOL)
        .interactionSize(2)
        .numSimulations(4)
        .nTurns(2)
        .metadata(Map.of("category", "climate"))
        .seed(3L);
  }

  private static List<RequestMutation> requestMutations() {
    List<RequestMutation> all = new ArrayList<>();
    all.add((b, r) -> {
      b.name(badText(r, BatchRequest.MAX_NAME_LENGTH));
      return List.of("name");
    });
    all.add((b, r) -> {
      b.context(badText(r, BatchRequest.MAX_CONTEXT_LENGTH));
      return List.of("context");
    });
    all.add((b, r) -> {
      b.description("d".repeat(BatchRequest.MAX_CONTEXT_LENGTH + 1 + r.nextInt(100)));
      return List.of("description");
    });
    all.add((b, r) -> {
      b.interactionStyle(badText(r, BatchRequest.MAX_NAME_LENGTH));
      return List.of("interaction_style");
    });
    all.add((b, r) -> {
      b.language(badText(r, BatchRequest.MAX_NAME_LENGTH));
      return List.of("language");
    });
    all.add((b, r) -> {
      switch (r.nextInt(5)) {
        case 0 -> b.entityIds((List<String>) null);
        case 1 -> b.entityIds(List.of());
        case 2 -> b.entityIds(Arrays.asList("e1-ada", null, "e2-boris"));
        case 3 -> b.entityIds("e1-ada", " ", "e2-boris");
        default -> b.entityIds("e1-ada", "e2-boris", "e1-ada");
      }
      return List.of("entity_ids");
    });
    all.add((b, r) -> {
      int k = new int[] {0, -1, Integer.MIN_VALUE, -r.nextInt(1000)}[r.nextInt(4)];
      b.interactionSize(k);
      return List.of("interaction_size");
    });
    all.add((b, r) -> {
      // Larger than the pool is only visible while the pool itself is valid.
      b.interactionSize(POOL.size() + 1 + r.nextInt(Integer.MAX_VALUE - POOL.size() - 1));
      return List.of();
    });
    all.add((b, r) -> {
      b.numSimulations(outOfRange(r, BatchRequest.MAX_SIMULATIONS));
      return List.of("num_simulations");
    });
    all.add((b, r) -> {
      b.nTurns(outOfRange(r, BatchRequest.MAX_TURNS));
      return List.of("n_turns");
    });
    all.add((b, r) -> {
      b.simulationRounds(outOfRange(r, BatchRequest.MAX_ROUNDS));
      return List.of("simulation_rounds");
    });
    all.add((b, r) -> {
      b.replicates(outOfRange(r, BatchRequest.MAX_REPLICATES));
      return List.of("replicates");
    });
    all.add((b, r) -> {
      if (r.nextBoolean()) {
        b.metadata(null);
        return List.of("metadata");
      }
      BadJson bad = badJsonObject(r);
      b.metadata(bad.map());
      return List.of("metadata (" + bad.kind() + ")");
    });
    all.add((b, r) -> {
      if (r.nextInt(4) == 0) {
        b.llm(null);
        return List.of("llm");
      }
      // One to three of the model settings broken at once: they travel together in LlmOptions.
      List<String> broken = new ArrayList<>();
      Double temperature = null;
      Integer maxTokens = null;
      String model = null;
      for (int part : pick(r, 3, 1 + r.nextInt(3))) {
        switch (part) {
          case 0 -> {
            temperature = new double[] {Double.NaN, -0.01, 2.0001, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, -Double.MAX_VALUE}[r.nextInt(6)];
            broken.add("temperature");
          }
          case 1 -> {
            maxTokens = new int[] {0, -1, Integer.MIN_VALUE}[r.nextInt(3)];
            broken.add("max_tokens");
          }
          default -> {
            model = r.nextBoolean() ? " \t" : "m".repeat(BatchRequest.MAX_NAME_LENGTH + 1);
            broken.add("model");
          }
        }
      }
      b.llm(new LlmOptions(model, temperature, maxTokens));
      return broken;
    });
    return all;
  }

  /**
   * Text a required field must refuse: null, empty, blank in several ways, or longer than {@code
   * max} (when {@code max} is not negative).
   */
  private static @Nullable String badText(Random r, int max) {
    int choice = r.nextInt(max < 0 ? 5 : 6);
    return switch (choice) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> " ".repeat(1 + r.nextInt(20));
      case 3 -> "\t\n\r\u000B\f";
      case 4 -> "\u2003\u2009\n";
      default -> "x".repeat(max + 1 + r.nextInt(1_000));
    };
  }

  private static int outOfRange(Random r, int max) {
    return switch (r.nextInt(5)) {
      case 0 -> 0;
      case 1 -> -1 - r.nextInt(1_000_000);
      case 2 -> Integer.MIN_VALUE;
      case 3 -> max + 1 + r.nextInt(1_000);
      default -> Integer.MAX_VALUE;
    };
  }

  /**
   * A map that cannot be JSON, and what is wrong with it: a value of another type, a non-string or
   * null key, a number JSON cannot write, endless nesting or a cycle.
   */
  record BadJson(String kind, Map<String, @Nullable Object> map) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static BadJson badJsonObject(Random r) {
    Map<String, @Nullable Object> map = new HashMap<>();
    map.put("fine", "value");
    String kind;
    switch (r.nextInt(9)) {
      case 0 -> {
        map.put("thread", Thread.currentThread());
        kind = "a Thread value";
      }
      case 1 -> {
        map.put("nested", Map.of("deeper", List.of(1, new Object())));
        kind = "a nested Object value";
      }
      case 2 -> {
        ((Map) map).put(42, "a number as key");
        kind = "an Integer key";
      }
      case 3 -> {
        map.put(null, "a null key");
        kind = "a null key";
      }
      case 4 -> {
        map.put("nan", Double.NaN);
        kind = "a NaN value";
      }
      case 5 -> {
        map.put("infinite", List.of(Float.NEGATIVE_INFINITY));
        kind = "an infinite value in a list";
      }
      case 6 -> {
        map.put("self", map);
        kind = "itself as a value";
      }
      case 7 -> {
        Map<String, @Nullable Object> deep = new HashMap<>();
        Map<String, @Nullable Object> at = deep;
        for (int depth = 0; depth < 50_000; depth++) {
          Map<String, @Nullable Object> next = new HashMap<>();
          at.put("d", next);
          at = next;
        }
        map.put("deep", deep);
        kind = "50,000 levels of nesting";
      }
      default -> {
        List<@Nullable Object> list = new ArrayList<>();
        list.add(list);
        map.put("list", list);
        kind = "a list holding itself";
      }
    }
    return new BadJson(kind, map);
  }

  /** {@code count} distinct indexes below {@code size}, in random order. */
  private static List<Integer> pick(Random r, int size, int count) {
    Set<Integer> picked = new LinkedHashSet<>();
    while (picked.size() < Math.min(count, size)) {
      picked.add(r.nextInt(size));
    }
    return new ArrayList<>(picked);
  }
}
