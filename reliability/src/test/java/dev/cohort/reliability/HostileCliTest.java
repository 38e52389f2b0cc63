package dev.cohort.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.cli.CommandInProcess;
import dev.cohort.cli.CommandInProcess.Result;
import dev.cohort.core.batch.Entity;
import dev.cohort.jdbc.JdbcRepository;
import dev.cohort.testkit.Entities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations of a valid {@code cohort run} command line and of entity files, run
 * through the command's own entry point in this JVM: each bad flag value, unknown or repeated
 * flag, missing value or missing required flag, unreadable file and malformed entity must end
 * with exit code 2 and one line on standard error that names the flag (or the field of the file)
 * at fault, no stack trace, and no batch created. Afterwards the same command line, unbroken,
 * still runs a batch to completion.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileCliTest {
  static final int FLAG_CASES = 1_200;
  static final int ENTITY_FILE_CASES = 400;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> INT_FLAGS = List.of("--interaction-size", "--num-simulations", "--n-turns",
      "--simulation-rounds", "--replicates", "--max-tokens", "--concurrency", "--rpm", "--tpm");

  @TempDir static Path dir;
  private static String db;

  /** One broken command line and the flags its error may name. */
  private record Case(List<String> args, List<String> blamed) {}

  @BeforeAll
  static void storeEntities() {
    db = "jdbc:sqlite:" + dir.resolve("cli.db");
    try (JdbcRepository repository = JdbcRepository.builder().url(db).build()) {
      repository.saveEntities(Entities.sample());
    }
  }

  @Test
  @Order(1)
  void everyBrokenRunCommandLineExitsWithCode2NamingTheFlag() {
    Random random = new Random(41L);
    for (int i = 0; i < FLAG_CASES; i++) {
      List<String> args = validRun();
      List<String> blamed = new ArrayList<>();
      for (int m = 1 + random.nextInt(2); m > 0; m--) {
        blamed.add(breakFlag(args, random));
      }
      assertRefused(new Case(args, blamed), "flag case " + i);
    }
    assertThat(batches()).as("batches created by refused command lines").isZero();
  }

  @Test
  @Order(2)
  void otherCommandsRefuseUnknownIdsAndBadFlagsWithCode2() {
    List<Case> cases = List.of(
        new Case(List.of("export", "no-such-batch", "--db", db), List.of("no-such-batch")),
        new Case(List.of("export", "no-such-batch", "--db", db, "--format", "xml"), List.of("--format")),
        new Case(List.of("batches", "show", "no-such-batch", "--db", db), List.of("no-such-batch")),
        new Case(List.of("batches", "list", "--db", db, "--limit", "-3"), List.of("--limit")),
        new Case(List.of("batches", "list", "--db", db, "--offset", "x"), List.of("--offset")),
        new Case(List.of("entities", "import", dir.resolve("missing.json").toString(), "--db", db),
            List.of("missing.json")),
        new Case(List.of("entities", "show", "no-such-entity", "--db", db), List.of("no-such-entity")),
        new Case(List.of("frobnicate", "--db", db), List.of("frobnicate")),
        new Case(List.of(), List.of("command")));
    for (int i = 0; i < cases.size(); i++) {
      assertRefused(cases.get(i), "command case " + i);
    }
  }

  @Test
  @Order(3)
  void everyBrokenEntityFileIsRefusedNamingItsFaultAndEveryByteMutationGetsAClearAnswer() throws IOException {
    Random random = new Random(43L);
    byte[] valid = JSON.writeValueAsBytes(validEntities(0));
    for (int i = 0; i < ENTITY_FILE_CASES; i++) {
      Path file = dir.resolve("entities-" + i + ".json");
      boolean structural = i % 2 == 0;
      List<String> blamed = new ArrayList<>();
      if (structural) {
        ArrayNode entities = validEntities(i);
        blamed.add(breakEntity((ObjectNode) entities.get(random.nextInt(entities.size())), random));
        Files.write(file, JSON.writeValueAsBytes(entities));
      } else {
        Files.write(file, mutateBytes(valid, random));
      }
      Result result = CommandInProcess.run("entities", "import", file.toString(), "--db", db);
      String what = "entity file case " + i + ": " + Files.readString(file, StandardCharsets.ISO_8859_1);
      if (structural) {
        assertThat(result.exitCode()).as("%s; stderr %s", what, result.err()).isEqualTo(2);
        assertThat(result.err()).as(what).contains(blamed.get(0));
      } else {
        assertThat(result.exitCode()).as("%s; stderr %s", what, result.err()).isIn(0, 2);
      }
      assertThat(result.err()).as(what).doesNotContain("\tat ", "Exception:");
    }
  }

  @Test
  @Order(4)
  void theUnbrokenCommandLineStillRunsABatchToCompletion() {
    Result result = CommandInProcess.run(validRun().toArray(String[]::new));

    assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
    assertThat(result.out()).contains("Batch simulation ID");
    assertThat(batches()).isEqualTo(1);
  }

  private static void assertRefused(Case c, String what) {
    Result result = CommandInProcess.run(c.args().toArray(String[]::new));
    String described = what + " " + c.args() + "; stderr: " + result.err();
    assertThat(result.exitCode()).as(described).isEqualTo(2);
    assertThat(result.out()).as(described).doesNotContain("Batch simulation ID");
    assertThat(result.err().strip()).as(described).startsWith("cohort").doesNotContain("\tat ");
    assertThat(c.blamed()).as(described).anyMatch(result.err()::contains);
  }

  private static List<String> validRun() {
    return new ArrayList<>(List.of("run", "--db", db, "--offline", "--progress", "none",
        "--entities", "e1-ada,e2-boris,e3-chiara", "--context", "A panel discussion.",
        "--interaction-size", "2", "--num-simulations", "2"));
  }

  /** Breaks the command line in one way; returns the flag (or argument) its error must name. */
  private static String breakFlag(List<String> args, Random r) {
    switch (r.nextInt(12)) {
      case 0 -> {
        String flag = INT_FLAGS.get(r.nextInt(INT_FLAGS.size()));
        return set(args, flag, new String[] {"abc", "", "3.5", "99999999999999999999", "1e3", "-5", "0"}
            [r.nextInt(7)]);
      }
      case 1 -> {
        return set(args, "--temperature", new String[] {"-0.5", "2.5", "NaN", "hot", "Infinity", ""}[r.nextInt(6)]);
      }
      case 2 -> {
        return set(args, "--seed", new String[] {"abc", "1.5", "99999999999999999999", ""}[r.nextInt(4)]);
      }
      case 3 -> {
        String flag = new String[] {"--context", "--name", "--style", "--language", "--model"}[r.nextInt(5)];
        return set(args, flag, new String[] {"", "   ", "\t\n"}[r.nextInt(3)]);
      }
      case 4 -> {
        String flag = r.nextBoolean() ? "--context" : "--metadata";
        return set(args, flag, "@" + dir.resolve("no-such-file-" + r.nextInt(1000) + ".txt"));
      }
      case 5 -> {
        return set(args, "--entities", new String[] {"", ",", " , ", "@" + dir.resolve("none.json"),
            "unknown-a,unknown-b"}[r.nextInt(5)]);
      }
      case 6 -> {
        return set(args, "--metadata", new String[] {"{", "[1]", "\"text\"", "not json", "{\"a\": NaN}",
            "{\"a\": 1} trailing"}[r.nextInt(6)]);
      }
      case 7 -> {
        String unknown = new String[] {"--n-turn", "--bogus", "--interaction_size", "--entity", "-x"}[r.nextInt(5)];
        // Before a flag, so that it cannot be taken for the value of the flag in front of it.
        List<Integer> flags = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
          if (args.get(i).startsWith("--")) {
            flags.add(i);
          }
        }
        args.add(flags.get(r.nextInt(flags.size())), unknown);
        return unknown;
      }
      case 8 -> {
        String flag = new String[] {"--n-turns", "--seed", "--temperature", "--metadata", "--export"}[r.nextInt(5)];
        args.add(flag);
        return flag;
      }
      case 9 -> {
        String flag = new String[] {"--context", "--entities", "--interaction-size", "--num-simulations"}[r.nextInt(4)];
        int at = args.indexOf(flag);
        if (Collections.frequency(args, flag) != 1 || at + 1 >= args.size()) {
          return breakFlag(args, r);
        }
        args.remove(at + 1);
        args.remove(at);
        return flag;
      }
      case 10 -> {
        String flag = r.nextBoolean() ? "--interaction-size" : "--num-simulations";
        if (!args.contains(flag)) {
          return breakFlag(args, r);
        }
        args.add(flag);
        args.add("3");
        return flag;
      }
      default -> {
        String flag = new String[] {"--simulated-failure-rate", "--simulated-latency", "--progress",
            "--progress-interval"}[r.nextInt(4)];
        return set(args, flag, new String[] {"1.5", "-1", "forever", "x"}[r.nextInt(4)]);
      }
    }
  }

  /** Sets {@code flag} to {@code value}, replacing its value when present; returns the flag. */
  private static String set(List<String> args, String flag, String value) {
    int at = args.indexOf(flag);
    if (at >= 0 && at + 1 < args.size()) {
      args.set(at + 1, value);
    } else {
      args.add(flag);
      args.add(value);
    }
    return flag;
  }

  private static ArrayNode validEntities(int i) {
    ArrayNode entities = NODES.arrayNode();
    for (int n = 0; n < 3; n++) {
      ObjectNode e = entities.addObject();
      e.put("id", "file-" + i + "-" + n);
      e.put("name", "Person " + n);
      e.put("description", "Someone from a file.");
      e.putObject("attributes").put("age", 20 + n);
    }
    return entities;
  }

  /** Breaks one field of an entity object; returns the field the error must name. */
  private static String breakEntity(ObjectNode entity, Random r) {
    switch (r.nextInt(5)) {
      case 0 -> {
        String field = r.nextBoolean() ? "id" : "name";
        entity.remove(field);
        return field;
      }
      case 1 -> {
        String field = r.nextBoolean() ? "id" : "name";
        entity.put(field, " ");
        return field;
      }
      case 2 -> {
        entity.put("attributes", "tall");
        return "attributes";
      }
      case 3 -> {
        entity.put("id", "i".repeat(Entity.MAX_ID_LENGTH + 1));
        return "id";
      }
      default -> {
        entity.put("nickname", "x");
        return "nickname";
      }
    }
  }

  private static byte[] mutateBytes(byte[] valid, Random r) {
    byte[] body = valid.clone();
    int cut = r.nextInt(4) == 0 ? r.nextInt(body.length) : body.length;
    for (int n = 1 + r.nextInt(3); n > 0; n--) {
      String noise = "{}[]\",: x0\u00ff";
      body[r.nextInt(body.length)] = (byte) noise.charAt(r.nextInt(noise.length()));
    }
    byte[] out = new byte[cut];
    System.arraycopy(body, 0, out, 0, cut);
    return out;
  }

  private static long batches() {
    return Store.count(db, "SELECT COUNT(*) FROM batches");
  }
}
