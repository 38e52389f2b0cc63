package dev.cohort.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.port.ChatRequest;
import dev.cohort.inmemory.InMemoryRepository;
import dev.cohort.inmemory.SimulatedLlm;
import dev.cohort.testkit.openai.FakeOpenAiServer;
import dev.cohort.testkit.openai.FakeOpenAiServer.Recorded;
import dev.cohort.testkit.openai.FakeOpenAiServer.Reply;
import dev.cohort.testkit.openai.PromptCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The share of prompt tokens a provider's prompt cache serves, role-play against scripted, for the
 * same 4-person, 3-round, 2-turn batch through the real OpenAI adapter and the fake server's
 * prompt-cache model. The figures go to standard output and into BENCHMARKS.md ("Role-play and
 * prompt caching"); run with
 * {@code ./mvnw -B -q -pl adapters-openai -am test -Dtest=RoleplayPromptCacheTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RoleplayPromptCacheTest {
  /** About 1,100 characters: the size of a study's shared situation, not a one-liner. */
  static final String CONTEXT = "The town council of Lindenau has called an open meeting in the community hall. "
      + "The old stone bridge over the river Linde was closed last spring after engineers found cracks in two "
      + "of its arches. The council now has to choose between three options: repairing the old bridge for "
      + "about 2.1 million euros, which keeps its historic look but closes the crossing for another eighteen "
      + "months; building a new steel and timber bridge next to it for about 3.4 million euros, with a wide "
      + "cycle lane, ready in a year, after which the old bridge would be kept for pedestrians only; or "
      + "running a free shuttle bus over the motorway bridge six kilometres downstream for at least three "
      + "years and deciding later. The regional government pays half of any construction cost but nothing "
      + "for the bus. Shops in the old town say they lose a fifth of their customers while the bridge is "
      + "closed; the school on the far bank says pupils now spend forty minutes more a day on the road. "
      + "The meeting is meant to collect the views of residents before the council votes next month. "
      + "Each participant speaks for themself, may disagree, and should react to what the others said.";

  static List<Entity> people() {
    String[][] rows = {
        {"Marta Keller", "Owner of the bakery on the market square, 54, has run it for 22 years.", "shopkeeper"},
        {"Jonas Brandt", "Civil engineer, 38, commutes by bike to the plant across the river.", "engineer"},
        {"Ilse Vogt", "Retired history teacher, 71, chairs the local heritage society.", "retired teacher"},
        {"Samir Haddad", "Father of two pupils at the school on the far bank, 42, drives a delivery van.",
            "delivery driver"},
        {"Lena Ortmann", "Student of economics, 23, treasurer of the youth council.", "student"},
        {"Peter Wendt", "Farmer, 60, whose fields lie on both banks of the river.", "farmer"}};
    List<Entity> people = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      people.add(new Entity("p" + (i + 1), rows[i][0], rows[i][1], Map.of("occupation", rows[i][2],
          "private_view", "privately leans " + (i % 2 == 0 ? "towards repair" : "towards the new bridge"))));
    }
    return people;
  }

  /**
   * The context four times over (about 4,600 characters, 1,150 tokens): what it takes for OpenAI's
   * 1,024-token minimum to cache anything. The cache model counts characters, not meaning.
   */
  static final String LONG_CONTEXT = String.join("\n\n", "Briefing, copy 1: " + CONTEXT, "Briefing, copy 2: " + CONTEXT,
      "Briefing, copy 3: " + CONTEXT, "Briefing, copy 4: " + CONTEXT);

  static BatchRequest request(SimulationMode mode) {
    return request(mode, CONTEXT);
  }

  static BatchRequest request(SimulationMode mode, String context) {
    return BatchRequest.builder().name("Lindenau bridge " + mode.wireName()).context(context)
        .entityIds("p1", "p2", "p3", "p4", "p5", "p6").interactionSize(4).numSimulations(10)
        .nTurns(2).simulationRounds(3).interactionStyle("town-hall meeting").seed(17L).mode(mode).build();
  }

  /** Answers each request as the offline model would, its completion counted as characters / 4. */
  static Reply simulatedAnswer(SimulatedLlm model, Recorded request) {
    JsonNode body = request.json();
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode m : body.path("messages")) {
      String content = m.path("content").asText();
      messages.add(switch (m.path("role").asText()) {
        case "system", "developer" -> ChatMessage.system(content);
        case "assistant" -> ChatMessage.assistant(content);
        default -> ChatMessage.user(content);
      });
    }
    ChatRequest.Builder chat = ChatRequest.builder().messages(messages);
    JsonNode schema = body.path("response_format").path("json_schema").path("schema");
    if (schema.isObject()) {
      chat.jsonSchema(FakeOpenAiServer.JSON.convertValue(schema, new TypeReference<Map<String, Object>>() {}));
    }
    if (body.path("seed").isIntegralNumber()) {
      chat.seed(body.path("seed").asLong());
    }
    String text = model.chat(chat.build()).text();
    return Reply.completion(text, "stop", 0, (text.length() + 3) / 4, 0);
  }

  /** One batch in {@code mode} against a fresh fake server with a fresh prompt cache. */
  static Measured measure(SimulationMode mode, Supplier<PromptCache> cache) throws IOException {
    return measure(request(mode), cache);
  }

  static Measured measure(BatchRequest request, Supplier<PromptCache> cache) throws IOException {
    SimulationMode mode = request.mode();
    try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
      SimulatedLlm simulated = SimulatedLlm.create();
      server.cachePromptPrefixes(cache.get()).otherwise(call -> simulatedAnswer(simulated, call));
      OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test-0000111122223333")
          .build();
      try (Cohort cohort = Cohort.builder().llm(model).repository(InMemoryRepository.create()).maxInFlight(4)
          .build()) {
        cohort.saveEntities(people());
        Batch batch = cohort.run(request);
        assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
        return new Measured(mode, server.requests().size(), batch.usage());
      }
    }
  }

  /** What one batch cost. */
  record Measured(SimulationMode mode, int calls, TokenUsage usage) {
    double cachedShare() {
      return (double) usage.cachedTokens() / usage.promptTokens();
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-8s calls %3d  prompt %7d  cached %7d (%4.1f %%)  completion %6d  total %7d",
          mode.wireName(), calls, usage.promptTokens(), usage.cachedTokens(), 100 * cachedShare(),
          usage.completionTokens(), usage.totalTokens());
    }
  }

  @Test
  void roleplayServesAtLeastHalfItsPromptTokensFromTheCache() throws IOException {
    Measured roleplay = measure(SimulationMode.ROLEPLAY, PromptCache::exact);
    Measured scripted = measure(SimulationMode.SCRIPTED, PromptCache::exact);
    Measured roleplayOpenAi = measure(SimulationMode.ROLEPLAY, PromptCache::openAiRules);
    Measured scriptedOpenAi = measure(SimulationMode.SCRIPTED, PromptCache::openAiRules);
    Measured roleplayLong = measure(request(SimulationMode.ROLEPLAY, LONG_CONTEXT), PromptCache::openAiRules);
    Measured scriptedLong = measure(request(SimulationMode.SCRIPTED, LONG_CONTEXT), PromptCache::openAiRules);

    System.out.println("prompt cache, every shared token counted:");
    System.out.println("  " + roleplay);
    System.out.println("  " + scripted);
    System.out.println("prompt cache, OpenAI's rules (>= 1024 prompt tokens, 128-token steps):");
    System.out.println("  " + roleplayOpenAi);
    System.out.println("  " + scriptedOpenAi);
    System.out.println("prompt cache, OpenAI's rules, the context four times over:");
    System.out.println("  " + roleplayLong);
    System.out.println("  " + scriptedLong);

    // 10 simulations × 6 turns against 10 × 3 rounds.
    assertThat(roleplay.calls()).isEqualTo(60);
    assertThat(scripted.calls()).isEqualTo(30);
    assertThat(roleplay.cachedShare()).isGreaterThanOrEqualTo(0.5);
  }
}
