package dev.cohort.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.spend.Estimate;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.openai.OpenAiChatModel;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the spend estimate against real runs: for each grid point (k entities, turns per round,
 * rounds) a batch of {@value #COMBINATIONS} combinations × {@value #REPLICATES} replicates over a pool of
 * 12 entities runs through
 * {@link OpenAiChatModel} against {@link FakeProvider} on loopback. Before the batch is created,
 * {@code Cohort.estimate} gives a range for the whole batch; after a pilot of {@value #PILOT}
 * simulations ({@code runPilot}), {@code estimate(request, pilot)} gives one for the rest; then the
 * rest runs and the batch's recorded usage is compared with both.
 *
 * <p>Run the whole grid: {@code java -cp <benchmarks test class path>
 * dev.cohort.benchmarks.EstimateAccuracy} (see BENCHMARKS.md); it prints a Markdown table.
 */
public final class EstimateAccuracy {
  static final int COMBINATIONS = 10;
  static final int REPLICATES = 2;
  static final int PILOT = 5;

  /** One grid point's estimates and what the run really spent. */
  record Result(int k, int turns, int rounds, long planned, Estimate before, TokenUsage whole, Estimate afterPilot,
      TokenUsage rest, long calls, Reasks pilotReasks, Reasks restReasks) {
    boolean wholeWithinRange() {
      long total = whole.totalTokens();
      return total >= before.totalTokens().low() && total <= before.totalTokens().high();
    }

    boolean restWithinRange() {
      long total = rest.totalTokens();
      return total >= afterPilot.totalTokens().low() && total <= afterPilot.totalTokens().high();
    }

    /** (expected − real) / real of the total tokens before the run. */
    double errorBefore() {
      return (double) (before.totalTokens().expected() - whole.totalTokens()) / whole.totalTokens();
    }

    /** (expected − real) / real of the total tokens of the simulations after the pilot. */
    double errorAfterPilot() {
      return (double) (afterPilot.totalTokens().expected() - rest.totalTokens()) / rest.totalTokens();
    }
  }

  /** Re-asks among a run's requests (those that carry a rejected answer) and its first asks. */
  record Reasks(long reasks, long firstAsks) {
    static Reasks of(List<FakeOpenAiServer.Recorded> requests) {
      long reasks = requests.stream().filter(EstimateAccuracy::isReask).count();
      return new Reasks(reasks, requests.size() - reasks);
    }

    @Override
    public String toString() {
      return reasks + " / " + firstAsks;
    }
  }

  private EstimateAccuracy() {}

  /** A re-ask sends the rejected answer back as an assistant message; a first ask has none. */
  static boolean isReask(FakeOpenAiServer.Recorded request) {
    for (JsonNode message : request.json().path("messages")) {
      if ("assistant".equals(message.path("role").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Runs one grid point in scripted mode. */
  static Result run(int k, int turns, int rounds) throws IOException {
    return run(k, turns, rounds, SimulationMode.SCRIPTED);
  }

  /** Runs one grid point in {@code mode} (role-play with the default visibility, descriptions). */
  static Result run(int k, int turns, int rounds, SimulationMode mode) throws IOException {
    try (FakeOpenAiServer server = FakeOpenAiServer.start();
        Cohort cohort = Cohort.builder()
            .llm(OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test-estimate").build())
            .repository(InMemoryRepository.create())
            // One call at a time: the fake provider draws its answers in arrival order, so the
            // grid comes out the same on every run.
            .maxInFlight(1)
            .build()) {
      server.otherwise(new FakeProvider(1000L * k + 100L * turns + rounds));
      cohort.saveEntities(pool());
      BatchRequest request = BatchRequest.builder()
          .name("estimate accuracy k=" + k + " turns=" + turns + " rounds=" + rounds)
          .context("A town hall meeting about a plan to build 2,000 new homes on the old rail yards, with fewer"
              + " parking spaces and a new tram line. Residents, business owners and council staff argue about"
              + " rents, traffic, schools and who benefits.")
          .entityIds(pool().stream().map(Entity::id).toList())
          .interactionSize(k)
          .numSimulations(COMBINATIONS)
          .replicates(REPLICATES)
          .nTurns(turns)
          .simulationRounds(rounds)
          .seed(42L + k)
          .mode(mode)
          .llm(new LlmOptions("gpt-4o-mini", null, null))
          .build();
      Estimate before = cohort.estimate(request);
      Batch batch = cohort.createDetachedBatch(request);
      cohort.runPilot(batch.id(), PILOT);
      List<FakeOpenAiServer.Recorded> pilotRequests = server.requests();
      List<Simulation> pilot = new ArrayList<>();
      cohort.forEachSimulation(batch.id(), s -> {
        if (s.status() == SimulationStatus.COMPLETED || s.status() == SimulationStatus.FAILED) {
          pilot.add(s);
        }
      });
      Estimate after = cohort.estimate(batch.request(), pilot);
      TokenUsage pilotUsage = pilot.stream().map(Simulation::usage).reduce(TokenUsage.ZERO, TokenUsage::plus);
      cohort.resume(batch.id());
      Batch done = cohort.await(batch.id());
      TokenUsage whole = done.usage();
      TokenUsage rest = new TokenUsage(whole.promptTokens() - pilotUsage.promptTokens(),
          whole.completionTokens() - pilotUsage.completionTokens(), whole.cachedTokens() - pilotUsage.cachedTokens());
      List<FakeOpenAiServer.Recorded> all = server.requests();
      return new Result(k, turns, rounds, done.plannedSimulations(), before, whole, after, rest, all.size(),
          Reasks.of(pilotRequests), Reasks.of(all.subList(pilotRequests.size(), all.size())));
    }
  }

  /** Twelve residents with descriptions and attributes of varied length. */
  static List<Entity> pool() {
    String[][] people = {
        {"Amara Okafor", "A nurse who commutes two hours a day.", "nurse", "34"},
        {"Ben Hartley", "Runs the hardware shop his grandfather opened; worried that fewer parking spaces will"
            + " drive away the customers who come from the villages around the town.", "shop owner", "58"},
        {"Chen Wei", "A civil engineer at the council who drew up the tram plan.", "engineer", "41"},
        {"Dolores Ruiz", "Retired teacher, chairs the residents' association, has seen three redevelopment plans"
            + " fail and distrusts developers' promises about affordable housing quotas.", "retired", "71"},
        {"Erik Lund", "A student renting a room with four others.", "student", "22"},
        {"Fatima Haddad", "Owns a bakery near the rail yards.", "baker", "45"},
        {"Gareth Price", "Developer's project manager.", "manager", "50"},
        {"Hana Sato", "Parent of three; the nearest primary school is full and she drives her children across"
            + " town every morning before starting her shift at the warehouse.", "warehouse worker", "38"},
        {"Ivan Petrov", "Bus driver for twenty years.", "driver", "55"},
        {"Julia Novak", "Runs a cycling advocacy group.", "activist", "29"},
        {"Kwame Mensah", "A landlord with six flats in the old town who fears that new homes will lower rents.",
            "landlord", "63"},
        {"Lena Fischer", "Journalist for the local paper.", "journalist", "33"},
    };
    List<Entity> pool = new ArrayList<>();
    for (int i = 0; i < people.length; i++) {
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("occupation", people[i][2]);
      attributes.put("age", Integer.parseInt(people[i][3]));
      if (i % 3 == 0) {
        attributes.put("concerns", List.of("rent", "traffic"));
      }
      pool.add(new Entity("p" + (i + 1), people[i][0], people[i][1], attributes));
    }
    return pool;
  }

  /** Runs the whole grid (k 1–5, turns 1–6, rounds 1–4) and prints a Markdown table and a summary. */
  public static void main(String[] args) throws IOException {
    List<Result> results = new ArrayList<>();
    System.out.println("| k | turns | rounds | real tokens | estimate low / expected / high | within | after a 5-pilot:"
        + " real rest | expected | error | within | re-asks / first asks: pilot | rest |");
    System.out.println("|---:|---:|---:|---:|---|:---:|---:|---:|---:|:---:|---:|---:|");
    for (int k = 1; k <= 5; k++) {
      for (int turns = 1; turns <= 6; turns++) {
        for (int rounds = 1; rounds <= 4; rounds++) {
          Result r = run(k, turns, rounds);
          results.add(r);
          System.out.println(String.format(Locale.ROOT, "| %d | %d | %d | %,d | %,d / %,d / %,d | %s | %,d | %,d | %+.1f %% | %s | %s | %s |",
              k, turns, rounds, r.whole().totalTokens(), r.before().totalTokens().low(),
              r.before().totalTokens().expected(), r.before().totalTokens().high(), r.wholeWithinRange() ? "yes" : "NO",
              r.rest().totalTokens(), r.afterPilot().totalTokens().expected(), r.errorAfterPilot() * 100,
              r.restWithinRange() ? "yes" : "NO", r.pilotReasks(), r.restReasks()));
        }
      }
    }
    long within = results.stream().filter(Result::wholeWithinRange).count();
    long withinRest = results.stream().filter(Result::restWithinRange).count();
    long close = results.stream().filter(r -> Math.abs(r.errorAfterPilot()) <= 0.15).count();
    double worst = results.stream().mapToDouble(r -> Math.abs(r.errorAfterPilot())).max().orElse(0);
    double worstBefore = results.stream().mapToDouble(r -> Math.abs(r.errorBefore())).max().orElse(0);
    double meanBefore = results.stream().mapToDouble(r -> Math.abs(r.errorBefore())).average().orElse(0);
    double meanAfter = results.stream().mapToDouble(r -> Math.abs(r.errorAfterPilot())).average().orElse(0);
    double signedAfter = results.stream().mapToDouble(Result::errorAfterPilot).average().orElse(0);
    long pilotReasks = results.stream().mapToLong(r -> r.pilotReasks().reasks()).sum();
    long pilotAsks = results.stream().mapToLong(r -> r.pilotReasks().firstAsks()).sum();
    long restReasks = results.stream().mapToLong(r -> r.restReasks().reasks()).sum();
    long restAsks = results.stream().mapToLong(r -> r.restReasks().firstAsks()).sum();
    System.out.println();
    System.out.println(String.format(Locale.ROOT, "%d grid points: real total within [low, high] before the run in %d,"
            + " after the pilot in %d; expected within ±15 %% after the pilot in %d (worst %.1f %%, mean %.1f %%);"
            + " before the run the expected was off by %.1f %% on average (worst %.1f %%).",
        results.size(), within, withinRest, close, worst * 100, meanAfter * 100, meanBefore * 100, worstBefore * 100));
    System.out.println(String.format(Locale.ROOT, "Signed mean error after the pilot %+.1f %%. Re-asks: pilots %d in %d"
            + " first asks (%.1f %%), rests %d in %d (%.1f %%).", signedAfter * 100, pilotReasks, pilotAsks,
        100.0 * pilotReasks / pilotAsks, restReasks, restAsks, 100.0 * restReasks / restAsks));
  }
}
