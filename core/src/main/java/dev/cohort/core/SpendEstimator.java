package dev.cohort.core;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationMode;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.internal.simulation.RoundPrompts;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.ChatMessage;
import dev.cohort.core.sampling.CombinationSampler;
import dev.cohort.core.sampling.SamplingPlan;
import dev.cohort.core.spend.Estimate;
import dev.cohort.core.spend.ModelPrice;
import dev.cohort.core.spend.PriceTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Estimates what a batch will spend without calling a model. It builds what the run would send
 * with the run's own prompt builder ({@link RoundPrompts}), filling the conversation with synthetic
 * turns of an assumed length, so the estimate follows every change to the prompts: round r
 * re-sends rounds 1..r−1 within the transcript window, every call carries the system message, the
 * participants and the answer format. Tokens are counted as characters / {@value #CHARS_PER_TOKEN}.
 * A pilot's finished simulations replace the assumed turn length and token count by measured ones.
 */
final class SpendEstimator {
  /** The token count's approximation: characters per token of English text in OpenAI's tokenizers. */
  static final int CHARS_PER_TOKEN = 4;
  /** Tokens the chat format adds per message and per call (OpenAI's published accounting). */
  static final int TOKENS_PER_MESSAGE = 4;
  static final int TOKENS_PER_CALL = 3;
  /** OpenAI caches a repeated prompt prefix of at least this many tokens ... */
  static final int CACHE_MINIMUM_TOKENS = 1024;
  /** ... in steps of this many. */
  static final int CACHE_STEP_TOKENS = 128;
  /** Combinations whose prompts are built; the batch's own when it has no more, else a random sample. */
  static final int SAMPLED_COMBINATIONS = 24;
  static final int CHARS_PER_WORD = 6;
  /** Turn text and thought in words: low, expected, high. */
  static final int[] TEXT_WORDS = {15, 50, 150};
  static final int[] THOUGHT_WORDS = {0, 15, 40};
  /** Characters per token of the low and high cases (the expected case is {@value #CHARS_PER_TOKEN}). */
  static final double LOW_CHARS_PER_TOKEN = 5.0;
  static final double HIGH_CHARS_PER_TOKEN = 3.2;
  /** Re-asks per round: low, expected, high (never more than the run's re-ask limit). */
  static final double[] REASK_RATE = {0, 0.05, 0.30};
  /** How many rounds the assumed re-ask rate counts as when a pilot measures its own. */
  static final int PRIOR_ROUNDS = 20;

  private static final String[] WORDS = ("we should look at what this means for the people who live here and work"
      + " every day because their lives change when prices rise or jobs move away so I think the question"
      + " is fair but my answer depends on the facts").split(" ");

  private final RoundPrompts prompts;
  private final int maxReasks;
  private final int transcriptWindow;

  SpendEstimator(int transcriptWindow, int maxReasks) {
    this.prompts = new RoundPrompts(transcriptWindow);
    this.transcriptWindow = transcriptWindow;
    this.maxReasks = maxReasks;
  }

  /**
   * How long turns are and how the provider's count relates to ours, for one of the three cases.
   * {@code cachedShare} is the share of prompt tokens the cache serves, measured by a pilot, or NaN
   * to model the cache from the prompts' repeated prefixes.
   */
  private record Profile(int textChars, int thoughtChars, double promptFactor, double completionFactor,
      double reaskRate, double cachedShare) {}

  /**
   * Tokens of one simulation, as real numbers (rates make fractions); {@code reaskPrompt} is what
   * re-asking every round once would add in prompt tokens.
   */
  private record Spend(double calls, double prompt, double cached, double completion, double reaskPrompt) {
    Spend plus(Spend o) {
      return new Spend(calls + o.calls, prompt + o.prompt, cached + o.cached, completion + o.completion,
          reaskPrompt + o.reaskPrompt);
    }

    Spend times(double f) {
      return new Spend(calls * f, prompt * f, cached * f, completion * f, reaskPrompt * f);
    }
  }

  /**
   * @param pool the request's entities in pool order
   * @param model the model name to price, or null when unknown
   * @param pilot finished simulations of this batch to calibrate from (empty for none): the
   *     estimate covers the planned simulations that are not among them
   */
  Estimate estimate(BatchRequest request, List<Entity> pool, @Nullable String model, PriceTable prices,
      List<Simulation> pilot) {
    long combinations = Math.min(PlanSize.combinationsUpTo(pool.size(), request.interactionSize(),
        request.numSimulations()), request.numSimulations());
    long planned = combinations * request.replicates();
    List<Simulation> finished = pilot.stream()
        .filter(s -> s.status() == SimulationStatus.COMPLETED || s.status() == SimulationStatus.FAILED).toList();
    long simulations = Math.max(0, planned - pilot.size());
    String system = SimulationEngine.systemMessage(request);
    List<String> assumptions = new ArrayList<>();
    Profile[] profiles = finished.isEmpty() ? assumedProfiles() : calibrated(request, pool, system, finished, assumptions);
    List<List<Entity>> sample = sample(request, pool, combinations);
    Spend[] perSimulation = new Spend[3];
    for (int c = 0; c < 3; c++) {
      Spend sum = new Spend(0, 0, 0, 0, 0);
      for (List<Entity> order : sample) {
        sum = sum.plus(simulate(request, system, order, profiles[c]));
      }
      perSimulation[c] = sum.times(1.0 / sample.size());
    }
    Estimate.Count calls = count(perSimulation, simulations, Spend::calls);
    Estimate.Count prompt = count(perSimulation, simulations, Spend::prompt);
    Estimate.Count cached = count(perSimulation, simulations, Spend::cached);
    Estimate.Count completion = count(perSimulation, simulations, Spend::completion);
    Optional<ModelPrice> price = prices.find(model);
    Estimate.Cost cost = price.map(p -> new Estimate.Cost(
        p.costUsd(new TokenUsage(prompt.low(), completion.low(), Math.min(cached.high(), prompt.low()))),
        p.costUsd(new TokenUsage(prompt.expected(), completion.expected(), cached.expected())),
        p.costUsd(new TokenUsage(prompt.high(), completion.high(), 0)))).orElse(null);
    assumptions.addAll(0, baseAssumptions(request, combinations, planned, simulations, pilot.size(), sample.size(),
        finished.isEmpty()));
    assumptions.add(price.map(p -> String.format(Locale.ROOT,
            "Priced as %s: $%s per million prompt tokens, $%s per million cached prompt tokens, $%s per million"
                + " completion tokens; low is the low tokens with every cache hit, high the high tokens with none.",
            model, p.inputPerMillion(), p.cachedInputPerMillion(), p.outputPerMillion()))
        .orElse("Cost unknown (no price for " + (model == null ? "an unnamed model" : model)
            + "; see --prices)."));
    return new Estimate(simulations, model, calls, prompt, cached, completion, cost, assumptions);
  }

  private List<String> baseAssumptions(BatchRequest request, long combinations, long planned, long simulations,
      int pilot, int sampled, boolean uncalibrated) {
    List<String> out = new ArrayList<>();
    boolean roleplay = request.mode() == SimulationMode.ROLEPLAY;
    out.add(simulations + " simulations" + (pilot > 0 ? " (" + planned + " planned, " + pilot
        + " of them the pilot's, which are not counted here)" : "") + ": min(C(n,k), num_simulations) = "
        + combinations + " combinations × " + request.replicates() + " replicates, each "
        + request.simulationRounds() + " rounds of " + request.nTurns() + " turns, "
        + (roleplay ? "in role-play one call per turn, made for its speaker," : "one call per round") + " plus re-asks.");
    String sampledText = "averaged over " + sampled + (sampled < combinations
        ? " combinations drawn at random from the pool" : " combinations, all of the batch's") + ".";
    if (roleplay) {
      out.add("Prompts are built by the run's own role-play prompt builder: the system message, the public"
          + " transcript of every earlier turn (at most " + transcriptWindow + " characters, no thoughts), the"
          + " speaker's own persona in full, the others as visibility '" + request.visibility().name()
              .toLowerCase(Locale.ROOT) + "' shows them and the speaker's own earlier thoughts; " + sampledText);
    } else {
      out.add("Prompts are built by the run's own prompt builder: the system message, the participants' names,"
          + " descriptions and attributes, and from round 2 on the transcript of the earlier rounds (at most "
          + transcriptWindow + " characters); " + sampledText);
    }
    out.add("Tokens are counted as characters / " + CHARS_PER_TOKEN + " plus " + TOKENS_PER_MESSAGE
        + " per message and " + TOKENS_PER_CALL + " per call, the answer format's JSON Schema included"
        + (uncalibrated ? "; low assumes " + LOW_CHARS_PER_TOKEN + " characters per token, high "
            + HIGH_CHARS_PER_TOKEN + "." : "."));
    if (uncalibrated) {
      out.add("Each turn is " + TEXT_WORDS[1] + " words of text and a " + THOUGHT_WORDS[1] + "-word thought (low "
          + TEXT_WORDS[0] + " and " + THOUGHT_WORDS[0] + ", high " + TEXT_WORDS[2] + " and " + THOUGHT_WORDS[2]
          + ") at " + CHARS_PER_WORD + " characters per word; completion tokens are those of the "
          + (roleplay ? "turn" : "round's turns") + " in the JSON answer format.");
      String unit = roleplay ? "turn" : "round";
      out.add(String.format(Locale.ROOT, "Re-asks: %.0f %% of %ss are asked again once (low none, high %.0f %%;"
              + " at most %d per %s); a re-ask sends the %s's prompt again with the rejected answer.",
          reaskRate(1) * 100, unit, reaskRate(2) * 100, maxReasks, unit, unit));
    }
    out.add("Prompt cache: the provider serves a repeated prompt prefix of at least " + CACHE_MINIMUM_TOKENS
        + " tokens in steps of " + CACHE_STEP_TOKENS + " (OpenAI's rule): each " + (roleplay
            ? "turn repeats the previous turn's prompt up to the end of its transcript (the speaker's own view comes"
                + " after it), a re-ask repeats its turn's prompt"
            : "round repeats the previous round's prompt up to the end of its transcript, a re-ask repeats its"
                + " round's prompt")
        + ", and the system message is the same in every call; high and expected assume every such prefix is"
        + " cached, low none.");
    if (request.seed() == null) {
      out.add("The request has no seed: the estimate draws its combinations with seed 0 (the run draws others of"
          + " the same pool, which makes no difference on average).");
    }
    return out;
  }

  private double reaskRate(int c) {
    return Math.min(REASK_RATE[c], maxReasks);
  }

  private Profile[] assumedProfiles() {
    double[] factor = {CHARS_PER_TOKEN / LOW_CHARS_PER_TOKEN, 1, CHARS_PER_TOKEN / HIGH_CHARS_PER_TOKEN};
    Profile[] profiles = new Profile[3];
    for (int c = 0; c < 3; c++) {
      // The low case assumes no cache hit: caching is the provider's best effort, never promised.
      profiles[c] = new Profile(TEXT_WORDS[c] * CHARS_PER_WORD, THOUGHT_WORDS[c] * CHARS_PER_WORD, factor[c], factor[c],
          reaskRate(c), c == 0 ? 0 : Double.NaN);
    }
    return profiles;
  }

  /**
   * Profiles measured from a pilot. Turn lengths come from its turns. For prompt and completion
   * tokens, each pilot simulation gives the ratio of what the provider counted to what this
   * estimator counts for the same conversation (rebuilt from its real turns, without re-asks);
   * the smallest ratio is the tokenizer's, since re-asks only add to it. The prompt tokens above
   * that ratio, counted in whole re-asks of that simulation's average round, are its re-asks: the re-ask rate is their share of the pilot's rounds, blended with the assumed rate
   * as {@value #PRIOR_ROUNDS} rounds so a small pilot does not swing it. Low and high take the
   * pilot's extremes; the cache's share of prompt tokens is measured directly.
   */
  private Profile[] calibrated(BatchRequest request, List<Entity> pool, String system, List<Simulation> pilot,
      List<String> assumptions) {
    Map<String, Entity> byId = new LinkedHashMap<>();
    pool.forEach(e -> byId.put(e.id(), e));
    List<Spend> modelled = new ArrayList<>();
    List<TokenUsage> observed = new ArrayList<>();
    List<Double> promptRatios = new ArrayList<>();
    List<Double> completionRatios = new ArrayList<>();
    double minText = Double.MAX_VALUE, maxText = 0, minThought = Double.MAX_VALUE, maxThought = 0;
    long textChars = 0, thoughtChars = 0, turns = 0, observedPrompt = 0, observedCached = 0;
    Profile measuring = new Profile(0, 0, 1, 1, 0, Double.NaN);
    for (Simulation s : pilot) {
      List<Entity> order = s.speakingOrder().stream().map(byId::get).toList();
      Map<Integer, List<Turn>> rounds = new TreeMap<>();
      long text = 0, thought = 0;
      for (Turn t : s.turns()) {
        rounds.computeIfAbsent(t.round(), r -> new ArrayList<>()).add(t);
        text += t.text().length();
        thought += t.thought() == null ? 0 : t.thought().length();
      }
      if (rounds.isEmpty() || order.contains(null)) {
        continue;
      }
      Spend m = spend(request, system, order, rounds.size(), measuring, r -> rounds.get(r));
      TokenUsage used = s.usage();
      if (used.promptTokens() == 0 || used.completionTokens() == 0) {
        continue;
      }
      int n = s.turns().size();
      minText = Math.min(minText, (double) text / n);
      maxText = Math.max(maxText, (double) text / n);
      minThought = Math.min(minThought, (double) thought / n);
      maxThought = Math.max(maxThought, (double) thought / n);
      textChars += text;
      thoughtChars += thought;
      turns += n;
      modelled.add(m);
      observed.add(used);
      promptRatios.add(used.promptTokens() / m.prompt());
      completionRatios.add(used.completionTokens() / m.completion());
      observedPrompt += used.promptTokens();
      observedCached += used.cachedTokens();
    }
    if (modelled.isEmpty()) {
      assumptions.add("The pilot's " + pilot.size() + " simulations recorded no usable turns or usage: the estimate"
          + " keeps its assumptions.");
      return assumedProfiles();
    }
    // The smallest ratio is the tokenizer's: a re-ask only ever adds tokens, and in a pilot of a
    // few simulations most of them may have met one (the median would then count it twice).
    double promptFactor = Collections.min(promptRatios);
    double completionFactor = Collections.min(completionRatios);
    double reasks = 0;
    double rounds = 0;
    for (int i = 0; i < modelled.size(); i++) {
      Spend m = modelled.get(i);
      // A re-ask re-sends its round's prompt with the rejected answer: count whole ones, so the
      // ordinary spread of the ratios is not taken for re-asks.
      double perReask = promptFactor * m.reaskPrompt() / m.calls();
      reasks += Math.round(Math.max(0, observed.get(i).promptTokens() - promptFactor * m.prompt()) / perReask);
      rounds += m.calls();
    }
    double reaskRate = Math.min(maxReasks, (reaskRate(1) * PRIOR_ROUNDS + reasks) / (PRIOR_ROUNDS + rounds));
    double share = (double) observedCached / observedPrompt;
    double minShare = 1, maxShare = 0;
    for (TokenUsage used : observed) {
      minShare = Math.min(minShare, (double) used.cachedTokens() / used.promptTokens());
      maxShare = Math.max(maxShare, (double) used.cachedTokens() / used.promptTokens());
    }
    // A call of the run: a round in scripted mode, a turn in role-play.
    String unit = request.mode() == SimulationMode.ROLEPLAY ? "turn" : "round";
    int text = (int) Math.round((double) textChars / turns);
    int thought = (int) Math.round((double) thoughtChars / turns);
    double minPrompt = Collections.min(promptRatios), maxPrompt = Collections.max(promptRatios);
    double minCompletion = Collections.min(completionRatios), maxCompletion = Collections.max(completionRatios);
    assumptions.add(String.format(Locale.ROOT, "Calibrated from %d pilot simulations: a turn averaged %d characters"
            + " of text and %d of thought (per simulation %.0f–%.0f and %.0f–%.0f); the provider counted %.2f× the"
            + " prompt tokens and %.2f× the completion tokens this estimate counts for the same conversations (the"
            + " smallest; per simulation %.2f–%.2f and %.2f–%.2f); their extra prompt tokens come to %.0f re-asks in"
            + " %.0f %ss, so %.1f %% of %ss are assumed re-asked (the assumed %.0f %% counted as %d %ss;"
            + " low none, high %.0f %%); %.0f %% of prompt tokens came from the cache (%.0f–%.0f %%).",
        modelled.size(), text, thought, minText, maxText, minThought, maxThought, promptFactor, completionFactor,
        minPrompt, maxPrompt, minCompletion, maxCompletion, reasks, rounds, unit, reaskRate * 100, unit,
        reaskRate(1) * 100, PRIOR_ROUNDS, unit, Math.max(reaskRate, reaskRate(2)) * 100, share * 100, minShare * 100, maxShare * 100));
    return new Profile[] {
        new Profile((int) minText, (int) minThought, minPrompt, minCompletion, 0, maxShare),
        new Profile(text, thought, promptFactor, completionFactor, reaskRate, share),
        new Profile((int) Math.ceil(maxText), (int) Math.ceil(maxThought), maxPrompt, maxCompletion,
            Math.max(reaskRate, reaskRate(2)), minShare),
    };
  }

  /** One simulation with synthetic turns of the profile's length. */
  private Spend simulate(BatchRequest request, String system, List<Entity> order, Profile profile) {
    Spend spend = spend(request, system, order, request.simulationRounds(), profile,
        round -> synthetic(RoundPrompts.speakers(order, round, request.nTurns()), round, request.nTurns(), profile));
    if (!Double.isNaN(profile.cachedShare())) {
      // Measured by a pilot (or none assumed): the share replaces the modelled cache.
      spend = new Spend(spend.calls(), spend.prompt(), spend.prompt() * profile.cachedShare(), spend.completion(),
          spend.reaskPrompt());
    }
    return spend;
  }

  /**
   * The calls of one simulation in the request's mode. Scripted: each round's prompt as the run
   * builds it after the turns {@code turnsOf} gives for the earlier rounds, its answer being the
   * round's own turns. Role-play: one call per turn, its prompt built for that turn's speaker (with
   * what the request's visibility shows them) after every earlier turn, its answer that turn.
   */
  private Spend spend(BatchRequest request, String system, List<Entity> order, int rounds, Profile profile,
      IntFunction<List<Turn>> turnsOf) {
    List<Turn> earlier = new ArrayList<>();
    CallTally tally = new CallTally(system, profile);
    boolean roleplay = request.mode() == SimulationMode.ROLEPLAY;
    long schema = tokens(roleplay ? RoundPrompts.turnSchema() : RoundPrompts.schema());
    for (int round = 1; round <= rounds; round++) {
      List<Turn> written = turnsOf.apply(round);
      if (!roleplay) {
        List<ChatMessage> messages = prompts.round(request, system, order, earlier, round);
        String answer = RoundPrompts.answer(written);
        tally.call(messages, schema, answer, RoundPrompts.reask(messages, answer, request.nTurns()));
        earlier.addAll(written);
        continue;
      }
      for (Turn turn : written) {
        List<ChatMessage> messages = prompts.turn(request, system, order, earlier, turn.turnNumber());
        String answer = RoundPrompts.turnAnswer(turn);
        tally.call(messages, schema, answer, RoundPrompts.turnReask(messages, answer, turn.speakerName()));
        earlier.add(turn);
      }
    }
    return tally.spend();
  }

  /**
   * Adds up the calls of one simulation, in the order the run makes them: each call's prompt and
   * answer tokens, the prefix it shares with the call before (what the provider's cache can serve;
   * the system message is shared with every call of the batch), and its re-asks at the profile's
   * rate.
   */
  private final class CallTally {
    private final String system;
    private final Profile profile;
    private String previous = "";
    private double calls, prompt, cached, completion, reaskPrompt;

    CallTally(String system, Profile profile) {
      this.system = system;
      this.profile = profile;
    }

    void call(List<ChatMessage> messages, long schema, String answer, List<ChatMessage> reask) {
      String flat = flatten(messages);
      double promptTokens = (tokens(messages) + schema) * profile.promptFactor();
      double shared = Math.max(system.length(), commonPrefix(previous, flat)) / (double) CHARS_PER_TOKEN
          * profile.promptFactor();
      double answerTokens = Math.ceil(answer.length() / (double) CHARS_PER_TOKEN) * profile.completionFactor();
      calls += 1;
      prompt += promptTokens;
      cached += cacheable(shared);
      completion += answerTokens;
      double rate = profile.reaskRate();
      double reaskTokens = (tokens(reask) + schema) * profile.promptFactor();
      reaskPrompt += reaskTokens;
      if (rate > 0) {
        calls += rate;
        prompt += rate * reaskTokens;
        cached += rate * cacheable(promptTokens);
        completion += rate * answerTokens;
      }
      previous = flat;
    }

    Spend spend() {
      return new Spend(calls, prompt, cached, completion, reaskPrompt);
    }
  }

  private static List<Turn> synthetic(List<Entity> speakers, int round, int turnsPerRound, Profile profile) {
    List<Turn> turns = new ArrayList<>(speakers.size());
    int first = (round - 1) * turnsPerRound + 1;
    for (int i = 0; i < speakers.size(); i++) {
      Entity s = speakers.get(i);
      int seed = first + i;
      turns.add(new Turn(round, first + i, s.id(), s.name(),
          profile.thoughtChars() == 0 ? null : prose(profile.thoughtChars(), seed * 7), prose(profile.textChars(), seed)));
    }
    return turns;
  }

  /** English-like words, about {@code chars} characters, starting at a word that varies with {@code start}. */
  private static String prose(int chars, int start) {
    StringBuilder out = new StringBuilder(chars + 16);
    int i = start;
    while (out.length() < chars) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(WORDS[Math.floorMod(i++, WORDS.length)]);
    }
    return out.toString();
  }

  private static double cacheable(double sharedTokens) {
    return sharedTokens < CACHE_MINIMUM_TOKENS ? 0 : Math.floor(sharedTokens / CACHE_STEP_TOKENS) * CACHE_STEP_TOKENS;
  }

  private static long tokens(List<ChatMessage> messages) {
    long tokens = TOKENS_PER_CALL;
    for (ChatMessage m : messages) {
      tokens += TOKENS_PER_MESSAGE + tokens(m.content());
    }
    return tokens;
  }

  private static long tokens(String text) {
    return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  private static String flatten(List<ChatMessage> messages) {
    StringBuilder out = new StringBuilder();
    for (ChatMessage m : messages) {
      out.append(m.content()).append('\n');
    }
    return out.toString();
  }

  private static int commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }

  private static Estimate.Count count(Spend[] perSimulation, long simulations,
      java.util.function.ToDoubleFunction<Spend> part) {
    long low = Math.round(part.applyAsDouble(perSimulation[0]) * simulations);
    long expected = Math.max(low, Math.round(part.applyAsDouble(perSimulation[1]) * simulations));
    long high = Math.max(expected, Math.round(part.applyAsDouble(perSimulation[2]) * simulations));
    return new Estimate.Count(low, expected, high);
  }

  /**
   * The participants, in speaking order, of the combinations whose prompts are built: the batch's
   * own when it has at most {@value #SAMPLED_COMBINATIONS}, else as many drawn uniformly at random
   * (every entity of the pool is as likely in a full enumeration as in a random plan).
   */
  private static List<List<Entity>> sample(BatchRequest request, List<Entity> pool, long combinations) {
    long seed = request.seed() == null ? 0 : request.seed();
    List<List<Entity>> sample = new ArrayList<>();
    if (combinations <= SAMPLED_COMBINATIONS) {
      SamplingPlan plan = CombinationSampler.plan(pool.size(), request.interactionSize(), request.numSimulations(),
          seed);
      int sequence = 1;
      for (int[] combination : plan) {
        List<String> ids = new ArrayList<>();
        for (int i : combination) {
          ids.add(pool.get(i).id());
        }
        sample.add(inOrder(BatchPlanner.speakingOrder(ids, seed, sequence), pool));
        sequence += request.replicates();
      }
      return sample;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int s = 0; s < SAMPLED_COMBINATIONS; s++) {
      List<Entity> shuffled = new ArrayList<>(pool);
      for (int i = 0; i < request.interactionSize(); i++) {
        Collections.swap(shuffled, i, i + random.nextInt(shuffled.size() - i));
      }
      sample.add(List.copyOf(shuffled.subList(0, request.interactionSize())));
    }
    return sample;
  }

  private static List<Entity> inOrder(List<String> ids, List<Entity> pool) {
    Map<String, Entity> byId = new LinkedHashMap<>();
    pool.forEach(e -> byId.put(e.id(), e));
    return ids.stream().map(byId::get).toList();
  }
}
