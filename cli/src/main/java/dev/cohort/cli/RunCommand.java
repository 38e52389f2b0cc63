package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.LlmOptions;
import dev.cohort.core.batch.ValidationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cohort run}: the original system's batch script. Creates a batch, prints {@code Batch
 * simulation ID: <id>}, runs it here with live progress on standard error, then prints a summary;
 * Ctrl-C cancels it cleanly (exit 130) so {@code cohort batches resume} can finish it.
 */
@Command(name = "run", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Create a batch and run it, with live progress and a summary.",
        "",
        "Simulates groups of k entities out of the pool, all in one shared context. Prints 'Batch simulation "
            + "ID: <id>', progress on standard error, then the status, counts, tokens and time. Ctrl-C cancels "
            + "the batch cleanly (exit code 130); 'cohort batches resume ID' finishes it.",
        "",
        "Example:",
        "  cohort run --entities examples/entities.json \\",
        "      --context @examples/context.txt --interaction-size 2 \\",
        "      --num-simulations 3 --n-turns 2 --name \"Climate Change Discussions\"",
        ""})
final class RunCommand implements Callable<Integer> {
  /** Request fields as this command's flags spell them, for validation messages. */
  static final Map<String, String> FLAGS = Map.ofEntries(
      Map.entry("name", "--name"), Map.entry("description", "--description"), Map.entry("context", "--context"),
      Map.entry("entity_ids", "--entities"), Map.entry("interaction_size", "--interaction-size"),
      Map.entry("num_simulations", "--num-simulations"), Map.entry("n_turns", "--n-turns"),
      Map.entry("simulation_rounds", "--simulation-rounds"), Map.entry("replicates", "--replicates"),
      Map.entry("interaction_style", "--style"), Map.entry("language", "--language"),
      Map.entry("metadata", "--metadata"), Map.entry("model", "--model"),
      Map.entry("max_cost_usd", "--max-cost"), Map.entry("max_total_tokens", "--max-total-tokens"),
      Map.entry("temperature", "--temperature"), Map.entry("max_tokens", "--max-tokens"),
      Map.entry("mode", "--mode"), Map.entry("visibility", "--visibility"), Map.entry("execution", "--execution"),
      Map.entry("outcomes", OutcomeFile.FLAG), Map.entry("outcome_model", "--outcome-model"),
      Map.entry("rerun_flagged", RerunFlaggedOption.FLAG));

  @Spec
  CommandSpec spec;

  @Option(names = "--entities", required = true, paramLabel = "IDS|FILE",
      description = {"The pool of entities: ids separated by commas, or a JSON file (path or @path) holding an "
          + "array of ids, {\"entity_ids\": [...]}, an array of entity objects or {\"entities\": [...]}.",
          "Entity objects ({\"id\", \"name\", \"description\", \"attributes\"}) are stored first."})
  String entities = "";

  @Option(names = "--context", required = true, paramLabel = "TEXT|@FILE",
      description = "The situation every simulation shares: the text itself, @FILE, or the path of a text file.")
  String context = "";

  @Option(names = "--interaction-size", required = true, paramLabel = "K",
      description = "Entities per simulation: 1 solo, 2 dyadic, 3 or more a group.")
  int interactionSize;

  @Option(names = "--num-simulations", paramLabel = "N",
      description = "How many distinct groups to simulate (all of them, in order, when fewer exist); required "
          + "unless --groups gives the groups.")
  @Nullable Integer numSimulations;

  @Option(names = "--name", paramLabel = "TEXT", description = "The batch's name (default: \"Batch <date time>\").")
  @Nullable String name;

  @Option(names = "--description", paramLabel = "TEXT", description = "What the batch is about.")
  @Nullable String description;

  @Option(names = "--n-turns", paramLabel = "N", defaultValue = "1",
      description = "Turns per simulation round (default: ${DEFAULT-VALUE}).")
  int nTurns = 1;

  @Option(names = "--simulation-rounds", paramLabel = "N", defaultValue = "1",
      description = "Rounds per simulation (default: ${DEFAULT-VALUE}).")
  int simulationRounds = 1;

  @Option(names = "--style", paramLabel = "TEXT", defaultValue = BatchRequest.DEFAULT_INTERACTION_STYLE,
      description = "How the participants interact, such as discussion, debate or interview (default: ${DEFAULT-VALUE}).")
  String style = BatchRequest.DEFAULT_INTERACTION_STYLE;

  @Option(names = "--language", paramLabel = "NAME", defaultValue = BatchRequest.DEFAULT_LANGUAGE,
      description = "The language they speak (default: ${DEFAULT-VALUE}).")
  String language = BatchRequest.DEFAULT_LANGUAGE;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of every random choice, for a reproducible batch (default: drawn and stored).")
  @Nullable Long seed;

  @Option(names = "--replicates", paramLabel = "N", defaultValue = "1",
      description = "Runs per group, each its own simulation (default: ${DEFAULT-VALUE}).")
  int replicates = 1;

  @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature, 0 to 2 (default: the model's).")
  @Nullable Double temperature;

  @Option(names = "--max-tokens", paramLabel = "N", description = "Most output tokens per model call (default: the model's).")
  @Nullable Integer maxTokens;

  @Option(names = "--metadata", paramLabel = "JSON|@FILE",
      description = "Free-form JSON object kept with the batch, such as '{\"category\": \"climate\"}'.")
  @Nullable String metadata;

  @Option(names = OutcomeFile.FLAG, paramLabel = "FILE",
      description = "JSON file of outcomes to extract from every finished simulation: [{\"name\", \"type\" "
          + "(boolean, integer, number, enum, entity, string), \"question\", \"min\", \"max\", \"values\", "
          + "\"per\" (simulation or participant)}] or {\"outcomes\": [...]}.")
  @Nullable String outcomes;

  @Option(names = "--outcome-model", paramLabel = "NAME",
      description = "The model that extracts the outcomes (default: the batch's model).")
  @Nullable String outcomeModel;

  @Mixin
  RerunFlaggedOption rerunFlagged = new RerunFlaggedOption();

  @Mixin
  ExportOnEnd export = new ExportOnEnd();

  @Option(names = "--detach",
      description = "Create the batch and exit without running it; 'cohort worker' or 'cohort batches resume' runs it.")
  boolean detach;

  @Option(names = "--estimate",
      description = "Print what the batch would spend (calls, tokens, cost: low, expected, high, with the "
          + "assumptions) and exit, without creating it or calling the model.")
  boolean estimate;

  @Option(names = "--pilot", paramLabel = "N",
      description = {"Run the first N simulations of the batch, print what the rest will spend calibrated from them, "
          + "then ask before running the rest (they are part of the batch).",
          "Without a terminal it goes on only with --yes; otherwise it stops, leaving the batch resumable."})
  @Nullable Integer pilot;

  @Option(names = "--yes", description = "Run the rest after --pilot without asking.")
  boolean yes;

  @Mixin
  DesignOptions design = new DesignOptions();

  @Mixin
  ModelOptions models = new ModelOptions();

  @Mixin
  ModelFactorOptions modelFactor = new ModelFactorOptions();

  @Mixin
  BudgetOptions budget = new BudgetOptions();

  @Mixin
  WatchOptions watch = new WatchOptions();

  @Mixin
  StoreOptions store = new StoreOptions();

  @Mixin
  ModeOptions modes = new ModeOptions();

  @Mixin
  ExecutionOptions execution = new ExecutionOptions();

  @Mixin
  CacheOptions cache = new CacheOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path workingDir = Path.of("").toAbsolutePath();
    if (numSimulations == null && !design.givesGroups()) {
      // As picocli says it for any required option: --groups alone can stand in for this one.
      throw new MissingParameterException(spec.commandLine(), spec.findOption("--num-simulations"),
          "Missing required option: '--num-simulations=N'");
    }
    models.validate();
    if (maxTokens != null && models.maxCompletionTokens != null) {
      throw new UsageException("--max-completion-tokens", "cannot be given with --max-tokens: both set the output "
          + "limit; reasoning models take --max-completion-tokens N, other models --max-tokens N");
    }
    EntitySelection selection = EntitySelection.parse(entities, workingDir);
    String contextText = ContextArgument.resolve(context, workingDir,
        warning -> err.println(spec.qualifiedName() + ": warning: " + warning));
    ExportTarget target = export.target(workingDir);
    BatchRequest request = request(selection, contextText, workingDir);
    SpendFlags.check(estimate, pilot, yes, detach);

    try (RunningSession session = RunningSession.open(store, models, cache, builder -> { })) {
      Cohort cohort = session.cohort();
      if (!selection.toImport().isEmpty()) {
        cohort.saveEntities(selection.toImport());
        err.println("Stored " + selection.toImport().size() + " entities from " + entities.strip());
      }
      if (estimate) {
        try {
          EstimateText.print(cohort.estimate(request), "Estimate (no batch created, no model called; "
              + session.modelNotice() + "):", out);
          // The design's coverage comes from the plan alone, so it is known before anything runs.
          out.println();
          CoverageCommand.print(out, "Coverage of the plan", cohort.planCoverage(request, null));
        } catch (ValidationException e) {
          throw unknownEntities(e);
        }
        return ExitCode.OK;
      }
      Batch batch;
      try {
        batch = detach || pilot != null ? cohort.createDetachedBatch(request) : cohort.createBatch(request);
      } catch (ValidationException e) {
        throw unknownEntities(e);
      }
      out.println("Batch simulation ID: " + batch.id());
      out.flush();
      for (String warning : batch.warnings()) {
        err.println(spec.qualifiedName() + ": warning: " + warning);
      }
      err.println(session.modelNotice());
      String cacheNotice = cache.notice();
      if (cacheNotice != null) {
        err.println(cacheNotice);
      }
      if (pilot != null) {
        PilotStep step = new PilotStep(cohort, store, out, err);
        Integer stop = step.run(batch, pilot, yes, ProgressView.isTerminal());
        if (stop != null) {
          return stop;
        }
        batch = cohort.resume(batch.id());
      }
      if (detach) {
        err.println("Detached: " + batch.plannedSimulations() + " simulations wait for 'cohort worker"
            + store.hintFlag() + "' or 'cohort batches resume " + batch.id() + store.hintFlag() + "'.");
        err.flush();
        return ExitCode.OK;
      }
      err.println("Running " + batch.plannedSimulations() + (batch.plannedSimulations() == 1 ? " simulation" : " simulations")
          + (batch.plannedSimulations() < batch.requestedSimulations()
              ? " (" + batch.requestedSimulations() + " requested, but only " + batch.plannedSimulations() + " groups exist)"
              : "")
          + "; Ctrl-C cancels, and 'cohort batches resume' continues.");
      err.flush();
      return session.followToEnd(batch.id(), watch, target, out, err);
    }
  }

  private BatchRequest request(EntitySelection selection, String contextText, Path workingDir) {
    try {
      BatchRequest.Builder builder = BatchRequest.builder()
          .name(name != null ? name : defaultName())
          .description(description)
          .context(contextText)
          .entityIds(selection.ids())
          .interactionSize(interactionSize)
          .numSimulations(numSimulations == null ? 0 : numSimulations)
          .nTurns(nTurns)
          .simulationRounds(simulationRounds)
          .interactionStyle(style)
          .language(language)
          .seed(seed)
          .replicates(replicates)
          .llm(new LlmOptions(models.model, temperature, maxTokens != null ? maxTokens : models.completionTokenLimit()));
      if (metadata != null) {
        builder.metadata(JsonArgument.object("--metadata", metadata, workingDir));
      }
      modes.applyTo(builder);
      execution.applyTo(builder);
      budget.applyTo(builder);
      if (outcomes != null) {
        builder.outcomes(OutcomeFile.read(outcomes, workingDir));
      }
      builder.outcomeModel(outcomeModel);
      rerunFlagged.applyTo(builder);
      design.apply(builder, workingDir);
      modelFactor.applyTo(builder);
      return builder.build();
    } catch (ValidationException e) {
      throw UsageException.of(DesignOptions.groupsNamed(e), flags());
    }
  }

  private UsageException unknownEntities(ValidationException e) {
    boolean unknown = e.errors().stream().anyMatch(error -> error.field().equals("entity_ids"));
    UsageException usage = UsageException.of(e, flags());
    if (!unknown) {
      return usage;
    }
    return new UsageException("--entities", usage.getMessage().replaceFirst("^--entities: ", "")
        + " (store them first with 'cohort entities import FILE', or pass a file of entity objects)");
  }

  /** Request fields as this command's flags spell them, the design's included. */
  private static Map<String, String> flags() {
    Map<String, String> all = new java.util.HashMap<>(FLAGS);
    all.putAll(DesignOptions.FLAGS);
    all.putAll(ModelFactorOptions.FLAGS);
    return all;
  }

  private static String defaultName() {
    return "Batch " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT));
  }
}
