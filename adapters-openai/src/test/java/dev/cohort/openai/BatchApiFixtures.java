package dev.cohort.openai;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.core.spend.PriceTable;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Batch API tests against one fake OpenAI server share: the fake's model priced with a
 * batch discount of 0.5, a {@code Cohort} on it that polls its jobs every 5 ms, and test people.
 */
final class BatchApiFixtures {
  /** The fake's model at OpenAI's gpt-4o-mini prices, with the Batch API's discount of one half. */
  static final PriceTable PRICES = PriceTable.empty()
      .with("gpt-4o-mini-2024-07-18", new ModelPrice(0.15, 0.075, 0.60, 0.5));

  private BatchApiFixtures() {}

  /** An OpenAI model talking to {@code server}. */
  static OpenAiChatModel model(FakeOpenAiServer server) {
    return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test-0000111122223333").build();
  }

  /** A {@code Cohort} on {@code server}'s model and {@code store}, polling provider jobs every 5 ms. */
  static Cohort cohort(FakeOpenAiServer server, InMemoryRepository store, int maxInFlight) {
    return Cohort.builder().llm(model(server)).repository(store).prices(PRICES).maxInFlight(maxInFlight)
        .batchJobPollInterval(Duration.ofMillis(5)).build();
  }

  /** {@code count} people, {@code p001} on. */
  static List<Entity> people(int count) {
    List<Entity> people = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      people.add(Entity.of(String.format("p%03d", i), "Person " + i, "Test person " + i + "."));
    }
    return people;
  }
}
