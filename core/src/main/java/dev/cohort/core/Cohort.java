package dev.cohort.core;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.Coverage;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.ModelBreakdown;
import dev.cohort.core.batch.ModelFactor;
import dev.cohort.core.batch.ValidationException.FieldError;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.core.export.BatchExporter;
import dev.cohort.core.export.ExportFormat;
import dev.cohort.core.export.ExportOptions;
import dev.cohort.core.batch.Manifest;
import dev.cohort.core.batch.Verification;
import dev.cohort.core.internal.call.CachedAnswers;
import dev.cohort.core.internal.call.CallGate;
import dev.cohort.core.internal.call.ModelCaller;
import dev.cohort.core.internal.call.ModelCallers;
import dev.cohort.core.internal.call.RetryPolicy;
import dev.cohort.core.internal.call.LimitShare;
import dev.cohort.core.internal.call.SharedRateLimiter;
import dev.cohort.core.internal.call.WorkerShare;
import dev.cohort.core.internal.execution.BatchCancellation;
import dev.cohort.core.batch.Execution;
import dev.cohort.core.internal.batchapi.BatchApiSettings;
import dev.cohort.core.internal.batchapi.BatchJobPorts;
import dev.cohort.core.internal.execution.BatchRun;
import dev.cohort.core.port.BatchJobPort;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.internal.execution.ModelBreakdowns;
import dev.cohort.core.internal.execution.Runner;
import dev.cohort.core.internal.execution.RunnerSettings;
import dev.cohort.core.internal.outcome.OutcomeExtractor;
import dev.cohort.core.internal.design.CoverageCounter;
import dev.cohort.core.internal.design.DesignPlanner;
import dev.cohort.core.internal.provenance.BatchVerifier;
import dev.cohort.core.internal.provenance.CacheTransfer;
import dev.cohort.core.internal.provenance.ManifestBuilder;
import dev.cohort.core.internal.provenance.Seals;
import dev.cohort.core.internal.simulation.SimulationEngine;
import dev.cohort.core.port.CacheMode;
import dev.cohort.core.port.LlmPort;
import dev.cohort.core.port.ProgressListener;
import dev.cohort.core.port.RateLimit;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.core.port.WorkerRegistry;
import dev.cohort.core.port.ResponseCache;
import dev.cohort.core.port.Sleeper;
import dev.cohort.core.port.Ticker;
import dev.cohort.core.spend.Budget;
import dev.cohort.core.port.WorkQueue;
import dev.cohort.core.spend.Estimate;
import dev.cohort.core.spend.PriceTable;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs batch simulations: the entry point of Cohort.
 *
 * <pre>{@code
 * try (Cohort cohort = Cohort.builder()
 *     .llm(SimulatedLlm.create())
 *     .repository(InMemoryRepository.create())
 *     .build()) {
 *   cohort.saveEntities(entities);
 *   Batch batch = cohort.run(BatchRequest.builder()
 *       .name("Climate panel").context("A panel discussion about climate change")
 *       .entityIds("a", "b", "c", "d").interactionSize(2).numSimulations(3).nTurns(2)
 *       .build());
 * }
 * }</pre>
 *
 * <p>{@link #createBatch} validates a request, plans its simulations, stores them and starts
 * running them in the background; results are stored as each simulation finishes. Several
 * {@code Cohort} instances (in one process or many) sharing one repository share its batches'
 * work: simulations are claimed under leases, so a crashed worker's simulations are picked up by
 * the others once its leases expire. Thread-safe. {@link #close()} stops this instance's workers
 * without cancelling batches; they can be resumed.
 *
 * <p>A {@code Cohort} built without {@link Builder#llm} only reads (and manages entities, cancels
 * and deletes batches): listing, showing and exporting need no model. It starts no thread; {@link
 * #createBatch}, {@link #run}, {@link #resume} and {@link #resumeUnfinished} fail with a {@link
 * CohortException} that says the model is missing. A {@code Cohort} with a model also starts its
 * threads only when it first runs a batch.
 */
public final class Cohort implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Cohort.class);

  /**
   * How old an unpublished batch (one whose creation never finished: see {@link
   * RepositoryPort#createBatch}) must be before {@link #resumeUnfinished()} deletes it. Creating
   * even a batch of ten million simulations takes minutes, so an hour leaves a creation still
   * running in another process alone.
   */
  public static final Duration ABANDONED_CREATION_AGE = Duration.ofHours(1);

  /** Simulations in flight at once, across all batches, unless set. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 32;
  /** How long a claim on a simulation holds without renewal, unless set. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(60);
  /** Calls per model request, the first included, unless set. */
  public static final int DEFAULT_MAX_CALL_ATTEMPTS = 6;
  /** Re-asks per round when the model's answer is unusable, unless set. */
  public static final int DEFAULT_MAX_REASKS = 2;
  /** Most characters of earlier transcript shown to the model, unless set. */
  public static final int DEFAULT_TRANSCRIPT_WINDOW = 100_000;
  /** How often to look again when other workers hold a batch's remaining simulations. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
  /** How often a running provider batch job is read, unless set. */
  public static final Duration DEFAULT_BATCH_JOB_POLL_INTERVAL = BatchApiSettings.DEFAULT_POLL_INTERVAL;
  /** Most requests in one provider batch job, unless set (OpenAI's limit). */
  public static final int DEFAULT_BATCH_JOB_MAX_REQUESTS = BatchApiSettings.DEFAULT_MAX_REQUESTS_PER_JOB;
  /** Most bytes of one provider batch job's input file, unless set (OpenAI's limit, 200 MB). */
  public static final long DEFAULT_BATCH_JOB_MAX_BYTES = 209_715_200L;
  /** Most simulations one batch may plan, replicates included, unless set. */
  public static final long DEFAULT_MAX_PLANNED_SIMULATIONS = 10_000_000;

  private static final Set<BatchStatus> RUNNABLE = EnumSet.of(BatchStatus.PENDING, BatchStatus.IN_PROGRESS);

  private final @Nullable LlmPort llm;
  /** The named models batches may run on; null when built with only {@link Builder#llm}. */
  private final @Nullable ModelRegistry models;
  private final RepositoryPort repository;
  /** Runs batches here; null when built without a model, which makes this instance read-only. */
  private final @Nullable Runner runner;
  private final BatchCancellation cancellation;
  private final BatchExporter exporter;
  private final Clock clock;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Duration pollInterval;
  private final long maxPlannedSimulations;
  private final PriceTable prices;
  private final SpendEstimator estimator;
  /** Makes a runner that works through the given queue with this instance's engine and settings. */
  private final @Nullable Function<WorkQueue, Runner> runners;
  private final @Nullable ResponseCache responseCache;
  private final CacheMode cacheMode;
  private volatile boolean closed;
  /** This worker's places among the workers sharing each model's limit, left on {@link #close()}. */
  private final List<LimitShare> limitShares = new ArrayList<>();

  private Cohort(Builder b, @Nullable LlmPort llm, RepositoryPort repository) {
    this.llm = llm;
    this.models = b.models;
    this.repository = repository;
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.sleeper = b.sleeper;
    this.pollInterval = b.pollInterval;
    this.maxPlannedSimulations = b.maxPlannedSimulations;
    this.prices = b.models == null ? b.prices : b.models.pricesOver(b.prices);
    this.estimator = new SpendEstimator(b.transcriptWindow, b.maxReasks);
    this.responseCache = b.responseCache;
    this.cacheMode = b.responseCache == null ? CacheMode.OFF : b.cacheMode;
    this.cancellation = new BatchCancellation(repository, repository, this::activeRun);
    this.runners = llm == null ? null : runners(b, llm, repository, cancellation, limitShares);
    this.runner = runners == null ? null : runners.apply(repository);
    this.exporter = b.responseCache == null ? BatchExporter.of(repository)
        : BatchExporter.of(repository, b.responseCache, b.prices);
  }

  /**
   * Makes runners for a model, all sharing one engine and rate limiter; a runner starts no thread
   * until its first batch runs. The settings are read from the builder now, once.
   */
  private static Function<WorkQueue, Runner> runners(
      Builder b, LlmPort llm, RepositoryPort repository, BatchCancellation cancellation,
      List<LimitShare> limitShares) {
    String workerId = b.workerId != null ? b.workerId : "worker-" + UUID.randomUUID().toString().substring(0, 8);
    // One caller per named model: its own limiter (a 429 of one provider pauses none of the others)
    // and its own retries. Without an llm of its own, a batch naming no model runs on the first.
    Map<String, ModelCaller> named = new LinkedHashMap<>();
    if (b.models != null) {
      for (ModelRegistry.Entry e : b.models.entries()) {
        named.put(e.name(), caller(b, e.llm(), e.rateLimit(), workerId, limitShares));
      }
    }
    ModelCaller caller = b.llm == null && b.models != null ? named.get(b.models.first().name())
        : caller(b, llm, b.rateLimit, workerId, limitShares);
    PriceTable prices = b.models == null ? b.prices : b.models.pricesOver(b.prices);
    ModelCallers callers = ModelCallers.of(caller, named);
    SimulationEngine engine = new SimulationEngine(callers, b.maxReasks, b.transcriptWindow, prices);
    Map<String, Integer> modelMaxInFlight = new LinkedHashMap<>();
    if (b.models != null) {
      for (ModelRegistry.Entry e : b.models.entries()) {
        if (e.limitsInFlight()) {
          modelMaxInFlight.put(e.name(), e.maxInFlight());
        }
      }
    }
    RunnerSettings settings = new RunnerSettings(workerId, b.maxInFlight, b.leaseDuration, b.pollInterval,
        modelMaxInFlight);
    ProgressListener listener = b.listener;
    Executor executor = b.executor;
    Clock clock = b.clock;
    Ticker ticker = b.ticker;
    OutcomeExtractor extractor = new OutcomeExtractor(callers, b.maxReasks);
    // Each model's requests go to its own provider's batch API (batch_api).
    BatchJobPorts batchJobs = BatchJobPorts.of(llm, namedModels(b.models));
    BatchApiSettings batchApi = new BatchApiSettings(b.batchJobPollInterval, b.batchJobMaxRequests,
        b.batchJobMaxBytes, b.maxCallAttempts, b.maxReasks, b.transcriptWindow);
    return queue -> new Runner(queue, repository, cancellation, engine, extractor, listener, settings, executor, clock,
        ticker, prices, batchJobs, batchApi);
  }

  /**
   * A caller of {@code llm} with its own rate limiter ({@code limit}, or none), retries and cache;
   * with a worker registry, the limiter paces at this worker's share of the limit of the model and
   * endpoint (its share is added to {@code limitShares}).
   */
  private static ModelCaller caller(Builder b, LlmPort llm, @Nullable RateLimit limit, String workerId,
      List<LimitShare> limitShares) {
    WorkerShare share = WorkerShare.ALONE;
    if (b.workerRegistry != null) {
      // The provider counts per account and model; the endpoint and model name stand for both.
      LimitShare limitShare = LimitShare.of(b.workerRegistry, llm.endpoint() + " " + llm.modelName()
          .orElse(llm.describe()), workerId, b.clock, b.ticker, b.workerHeartbeatInterval);
      limitShares.add(limitShare);
      share = limitShare;
    }
    // Told no limit, the limiter still learns the provider's from its answers' headers and pauses
    // on a 429; for a server that sends neither (a local one) it lets every call straight through.
    CallGate gate = SharedRateLimiter.of(limit != null ? limit : RateLimit.NONE, b.ticker, b.sleeper, share);
    CachedAnswers cache = b.responseCache == null ? CachedAnswers.NONE
        : CachedAnswers.of(b.responseCache, b.cacheMode, llm, b.clock);
    return new ModelCaller(llm, gate,
        new RetryPolicy(b.maxCallAttempts, () -> ThreadLocalRandom.current().nextDouble()), b.sleeper, cache);
  }

  /**
   * The batch's counts, tokens and cost by model: one row per model its request names (in that
   * order), then one per other model its simulations ran on (the provider's names, for a batch
   * that names none). Reads every simulation of the batch once.
   *
   * @throws NotFoundException when the batch does not exist
   */
  public List<ModelBreakdown> modelBreakdown(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    Batch batch = getBatch(batchId);
    return ModelBreakdowns.of(repository, batchId, batch.request());
  }

  /** The named models this instance runs batches on; empty when built with only {@link Builder#llm}. */
  public Optional<ModelRegistry> models() {
    return Optional.ofNullable(models);
  }

  /** Most simulations one batch may plan here; see {@link Builder#maxPlannedSimulations(long)}. */
  public long maxPlannedSimulations() {
    return maxPlannedSimulations;
  }

  /** The prices this instance costs calls with; see {@link Builder#prices(PriceTable)}. */
  public PriceTable prices() {
    return prices;
  }

  /**
   * A builder; {@link Builder#repository} is required, {@link Builder#llm} is required to run
   * batches (without it the instance only reads).
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The model this instance calls, as it describes itself (never with secrets), or {@code "none"}
   * for a read-only instance.
   */
  public String describeModel() {
    if (models != null && (llm == null || models.entries().stream().anyMatch(e -> e.llm() == llm))) {
      StringBuilder s = new StringBuilder();
      for (ModelRegistry.Entry e : models.entries()) {
        s.append(s.length() == 0 ? "" : ", ").append(e.name()).append(" (").append(e.llm().describe()).append(')');
      }
      return s.toString();
    }
    return llm == null ? "none" : llm.describe();
  }

  /** Whether this instance was built without a model, so it reads but cannot run batches. */
  public boolean isReadOnly() {
    return runner == null;
  }

  // ---- entities ----

  /** Stores the entity, replacing one with the same id. */
  public void saveEntity(Entity entity) {
    saveEntities(List.of(Objects.requireNonNull(entity, "entity")));
  }

  /** Stores the entities, replacing any with the same ids. */
  public void saveEntities(Collection<Entity> entities) {
    Objects.requireNonNull(entities, "entities");
    Set<String> seen = new LinkedHashSet<>();
    for (Entity e : entities) {
      if (e == null) {
        throw new ValidationException("entities", "must not contain null");
      }
      if (!seen.add(e.id())) {
        throw new ValidationException("entities", "id " + e.id() + " appears more than once");
      }
    }
    repository.saveEntities(List.copyOf(entities));
  }

  /** The entity with this id. */
  public Optional<Entity> findEntity(String id) {
    return repository.findEntity(id);
  }

  /**
   * The entity with this id.
   *
   * @throws NotFoundException when there is none
   */
  public Entity getEntity(String id) {
    return findEntity(id).orElseThrow(() -> new NotFoundException("entity", id));
  }

  /** Every stored entity, ordered by id. */
  public List<Entity> listEntities() {
    return repository.listEntities();
  }

  /** Deletes the entity (batches keep their snapshot of it); returns whether it existed. */
  public boolean deleteEntity(String id) {
    return repository.deleteEntity(id);
  }

  // ---- batches ----

  /**
   * Creates a batch and starts running it in the background. Returns once the batch is stored,
   * with the batch {@code pending} or already {@code in_progress}. Its simulations are planned and
   * stored in chunks as they are drawn, so memory does not grow with the batch; the batch becomes
   * visible, to this and every other worker, only when all of them are stored.
   *
   * @throws ValidationException when an entity id is unknown or the plan is too large
   * @throws CohortException when this instance was built without a model
   */
  public Batch createBatch(BatchRequest request) {
    return create(request, true);
  }

  /**
   * Creates a batch without running it here: it stays {@code pending}, without {@code started_at},
   * until a worker claims one of its simulations ({@link #resumeUnfinished}, {@code cohort worker})
   * or {@link #resume} runs it. The command line's {@code run --detach}.
   *
   * @throws ValidationException when an entity id is unknown or the plan is too large
   * @throws CohortException when this instance was built without a model
   */
  public Batch createDetachedBatch(BatchRequest request) {
    return create(request, false);
  }

  private Batch create(BatchRequest request, boolean runHere) {
    Objects.requireNonNull(request, "request");
    ensureOpen();
    Runner runner = requireRunner("create a batch");
    PlanSize.check(request, maxPlannedSimulations);
    requireBatchJobsFor(request);
    requireKnownModels(request);
    requirePricedForBudget(request.maxCostUsd(), request.llm().model());
    for (String model : request.modelFactor().allNames()) {
      requirePricedForBudget(request.maxCostUsd(), model);
    }
    List<Entity> entities = poolOf(request);
    BatchRequest stored = request.seed() != null ? request : request.toBuilder().seed(new SecureRandom().nextLong()).build();
    String batchId = UUID.randomUUID().toString();
    BatchPlanner.Planned planned = BatchPlanner.plan(batchId, stored, entities, clock.instant());
    repository.createBatch(planned.batch(), planned.simulations());
    repository.saveSeal(batchId, Seals.of(planned.batch()));
    LOG.info("batch {} created: {} simulations planned of {} requested", batchId,
        planned.batch().plannedSimulations(), planned.batch().requestedSimulations());
    if (runHere) {
      runner.start(batchId, false);
    }
    return getBatch(batchId);
  }

  /**
   * Execution {@code batch_api} needs models that run provider batch jobs: this instance's one model
   * when the batch names none, else every registry model it names.
   */
  private void requireBatchJobsFor(BatchRequest request) {
    if (request.execution() != Execution.BATCH_API) {
      return;
    }
    if (request.models().isEmpty() && !(llm instanceof BatchJobPort)) {
      throw new ValidationException("execution", "batch_api needs a model that runs provider batch jobs (such as"
          + " OpenAiChatModel with OpenAI or Azure OpenAI); " + describeModel() + " does not");
    }
    BatchJobPorts.of(llm, namedModels(models)).requireJobsFor(request);
  }

  /** The model of each registry name, in registry order; empty without a registry. */
  private static Map<String, LlmPort> namedModels(@Nullable ModelRegistry registry) {
    Map<String, LlmPort> named = new LinkedHashMap<>();
    if (registry != null) {
      for (ModelRegistry.Entry e : registry.entries()) {
        named.put(e.name(), e.llm());
      }
    }
    return named;
  }

  /**
   * Every model the request names must be in this instance's registry.
   *
   * @throws ValidationException naming the field and each unknown name
   */
  private void requireKnownModels(BatchRequest request) {
    ModelFactor factor = request.modelFactor();
    List<String> known = models == null ? List.of() : models.names();
    List<FieldError> errors = new ArrayList<>();
    for (String name : factor.models()) {
      if (!known.contains(name)) {
        errors.add(new FieldError("models", unknownModel(name, known)));
      }
    }
    factor.participantModels().forEach((entity, name) -> {
      if (!known.contains(name)) {
        errors.add(new FieldError("participant_models." + entity, unknownModel(name, known)));
      }
    });
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  private static String unknownModel(String name, List<String> known) {
    return "names model '" + name + "', which is not in the model registry ("
        + (known.isEmpty() ? "there is none: give one with --model-registry FILE, $COHORT_MODELS or"
            + " Cohort.builder().models(...)" : "it has " + String.join(", ", known)) + ")";
  }

  /** The request's entities in pool order; every id must be known. */
  private List<Entity> poolOf(BatchRequest request) {
    List<Entity> entities = repository.findEntities(request.entityIds());
    if (entities.size() != request.entityIds().size()) {
      Set<String> unknown = new LinkedHashSet<>(request.entityIds());
      entities.forEach(e -> unknown.remove(e.id()));
      throw new ValidationException("entity_ids", "unknown entity ids: " + String.join(", ", unknown));
    }
    return entities;
  }

  // ---- spend ----

  /**
   * Estimates what running {@code request} would spend, without calling the model and without
   * creating anything: calls, prompt tokens, cached prompt tokens, completion tokens and the cost,
   * each low / expected / high, with the assumptions in words ({@link Estimate#assumptions()}).
   * The prompts are built as the run builds them, with synthetic turns of an assumed length.
   * Priced for the request's {@code llm.model}, else the model's {@link LlmPort#modelName()
   * default}, with {@link #prices()}; the cost is null when that model has no price.
   *
   * @throws ValidationException when an entity id is unknown or the plan is too large
   */
  public Estimate estimate(BatchRequest request) {
    return estimate(request, List.of());
  }

  /**
   * Estimates what the rest of a batch will spend, calibrated from {@code pilotResults}: finished
   * simulations of the same request (such as those {@link #runPilot} ran). Their turns give the
   * turn length and their usage the ratio of the provider's token counts to the estimate's, so
   * re-asks and failures they met are included. The estimate covers the planned simulations
   * minus the pilot's; simulations that did not finish (completed or failed) calibrate nothing
   * but are still left out of the count.
   *
   * @throws ValidationException when an entity id is unknown, the plan is too large, or the pilot
   *     holds more simulations than the plan or simulations of different batches
   */
  public Estimate estimate(BatchRequest request, List<Simulation> pilotResults) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(pilotResults, "pilotResults");
    List<Simulation> pilot = List.copyOf(pilotResults);
    if (pilot.stream().map(Simulation::batchId).distinct().count() > 1) {
      throw new ValidationException("pilot_results", "must all be simulations of one batch");
    }
    PlanSize.check(request, maxPlannedSimulations);
    requireKnownModels(request);
    List<Entity> pool = poolOf(request);
    if (!request.models().isEmpty()) {
      // Each model at its own price (its registry name is in the price table when it has one).
      BatchRequest plain = request.toBuilder().models(List.of()).participantModels(Map.of()).build();
      List<Estimate> perModel = new ArrayList<>();
      for (String name : request.models()) {
        List<Simulation> ownPilot = pilot.stream().filter(s -> name.equals(s.plannedModel())).toList();
        perModel.add(estimator.estimate(plain, pool, name, prices, ownPilot));
      }
      return ModelEstimates.sum(request.models(), request.modelAssignment(), perModel);
    }
    String model = request.llm().model();
    if (model == null && llm != null) {
      model = llm.modelName().orElse(null);
    }
    return estimator.estimate(request, pool, model, prices, pilot);
  }

  /**
   * Runs a pilot of the batch here: claims up to {@code simulations} of its unfinished simulations,
   * lowest sequence numbers first (of a batch just made with {@link #createDetachedBatch}, its
   * first ones), waits until each has completed or failed, and returns the batch, the rest of it
   * still to run. The pilot's simulations are part of the batch: {@link #resume} (or any worker)
   * runs the rest. Read the finished ones with {@link #forEachSimulation} and give them to {@link
   * #estimate(BatchRequest, List)} to see what the rest will spend. A batch-fatal error ends the
   * pilot early with the batch {@code failed}.
   *
   * @param simulations how many to run now, at least 1
   * @throws ValidationException when {@code simulations} is below 1
   * @throws NotFoundException when the batch does not exist
   * @throws CohortException when this instance was built without a model, or the batch is running
   *     here already
   */
  public Batch runPilot(String batchId, int simulations) {
    Objects.requireNonNull(batchId, "batchId");
    if (simulations < 1) {
      throw new ValidationException("pilot", "must be at least 1 simulation, was " + simulations);
    }
    ensureOpen();
    requireRunner("run a pilot");
    Function<WorkQueue, Runner> make = Objects.requireNonNull(runners, "a model is set: requireRunner checked");
    Batch batch = getBatch(batchId);
    if (activeRun(batchId).isPresent()) {
      throw new CohortException("cannot run a pilot of batch " + batchId + ": it is running here already");
    }
    PilotQueue queue = new PilotQueue(repository, (int) Math.min(simulations, batch.counts().unfinished()));
    try (Runner pilotRunner = make.apply(queue)) {
      BatchRun run = pilotRunner.start(batchId, false);
      while (!queue.awaitPilot(pollInterval)) {
        if (run.isDone() || closed) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CohortException("interrupted while running the pilot of batch " + batchId, e);
    }
    LOG.info("batch {}: pilot of {} simulations finished", batchId, queue.finished());
    return getBatch(batchId);
  }

  /**
   * How the batch's plan covers its pool (see {@link Coverage}), with the composition of groups by
   * every attribute its constraints name. Computed from the planned simulations, so it is there
   * before anything runs; it streams the simulations, holding one counter per entity and per pair
   * that meets.
   *
   * @throws NotFoundException when the batch does not exist
   */
  public Coverage coverage(String batchId) {
    return coverage(batchId, null);
  }

  /**
   * Like {@link #coverage(String)}, with the composition of groups by {@code attributes} instead
   * (null for the constraints' attributes).
   *
   * @throws NotFoundException when the batch does not exist
   */
  public Coverage coverage(String batchId, @Nullable List<String> attributes) {
    Objects.requireNonNull(batchId, "batchId");
    Batch batch = getBatch(batchId);
    CoverageCounter counter = new CoverageCounter(batch.entities(),
        attributes == null ? batch.request().constraints().attributes() : checkedAttributes(attributes));
    repository.forEachSimulation(batchId, s -> counter.add(s.entityIds(), s.speakingOrder()));
    return counter.result();
  }

  /**
   * The coverage a request would have, planned but not stored: what {@code cohort run --estimate}
   * shows. A request without a seed is planned with seed 0 here (its real plan draws a seed), so
   * give the seed for the exact plan; appearance and pair spreads of balanced designs and the
   * composition under constraints do not depend on it.
   *
   * @param attributes whose composition to count; null for the constraints' attributes
   * @throws ValidationException when an entity id is unknown, the plan is too large or the
   *     constraints cannot be met
   */
  public Coverage planCoverage(BatchRequest request, @Nullable List<String> attributes) {
    Objects.requireNonNull(request, "request");
    PlanSize.check(request, maxPlannedSimulations);
    List<Entity> entities = poolOf(request);
    BatchPlanner.Planned planned = BatchPlanner.plan("planned", request, entities, clock.instant());
    CoverageCounter counter = new CoverageCounter(entities,
        attributes == null ? request.constraints().attributes() : checkedAttributes(attributes));
    planned.simulations().forEachRemaining(s -> counter.add(s.entityIds(), s.speakingOrder()));
    return counter.result();
  }

  private static List<String> checkedAttributes(List<String> attributes) {
    for (String a : attributes) {
      if (a == null || a.isBlank()) {
        throw new ValidationException("attributes", "must be non-blank attribute names");
      }
    }
    return List.copyOf(attributes);
  }

  /**
   * Grows the batch by up to {@code numSimulations} new groups (none already in the batch), each
   * run {@code replicates} times, numbered after its last simulation, and runs them here: a
   * finished batch goes back to {@code in_progress}. The growth is recorded in the stored request's
   * {@link BatchRequest#extensions() extensions}. A random design continues its seed's draw
   * sequence, so creating N and extending by M gives the groups, in order, of creating N + M
   * whenever both plans draw the same way (see {@code CombinationSampler.extended}); a balanced
   * design continues from the appearance counts of all groups so far, so a balanced batch stays
   * balanced as a whole; an explicit design cannot grow. Extending a batch that runs here adds to
   * that run.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws ValidationException naming {@code num_simulations} when it is out of range or no new
   *     group is left, or {@code design} for an explicit design
   * @throws CohortException when this instance was built without a model
   */
  public Batch extend(String batchId, int numSimulations) {
    Objects.requireNonNull(batchId, "batchId");
    if (numSimulations < 1 || numSimulations > BatchRequest.MAX_SIMULATIONS) {
      throw new ValidationException("num_simulations", "must be between 1 and " + BatchRequest.MAX_SIMULATIONS
          + ", was " + numSimulations);
    }
    ensureOpen();
    Runner runner = requireRunner("extend a batch");
    Batch batch = getBatch(batchId);
    BatchRequest request = batch.request();
    BatchExtension extension = BatchExtension.plan(repository, batch, numSimulations, maxPlannedSimulations,
        clock.instant());
    repository.appendSimulations(batchId, extension.request(), batch.requestedSimulations()
        + (long) numSimulations * request.replicates(), extension.plannedSimulations(), extension.simulations());
    LOG.info("batch {} extended: {} more groups planned of {} asked for", batchId, extension.groups(), numSimulations);
    repository.transitionBatch(batchId, EnumSet.of(BatchStatus.PARTIAL, BatchStatus.FAILED, BatchStatus.CANCELLED,
        BatchStatus.COMPLETED), BatchStatus.IN_PROGRESS, null);
    runner.start(batchId, true);
    Batch after = getBatch(batchId);
    if (after.status().isTerminal() && after.counts().unfinished() > 0) {
      // A run of this batch here ended in the instant the new simulations were stored (it had
      // counted none unfinished); start another for them.
      repository.transitionBatch(batchId, EnumSet.of(after.status()), BatchStatus.IN_PROGRESS, null);
      runner.start(batchId, true);
      after = getBatch(batchId);
    }
    return after;
  }

  /**
   * How many groups the request's design can choose from: C(n,k) for a random or balanced design
   * without constraints, the exact number of groups meeting its constraints otherwise (counted by a
   * dynamic programme, never by enumeration), or the number of explicit groups. A batch plans
   * min(this, num_simulations) groups.
   *
   * @throws ValidationException when an entity id is unknown or the constraints cannot be met
   */
  public BigInteger availableGroups(BatchRequest request) {
    Objects.requireNonNull(request, "request");
    return DesignPlanner.available(request, poolOf(request));
  }

  /**
   * Creates a batch, waits until it reaches a terminal status and returns it.
   *
   * @throws CohortException when this instance was built without a model
   */
  public Batch run(BatchRequest request) {
    return await(createBatch(request).id());
  }

  /** The batch with its current status and counts, without simulations. */
  public Optional<Batch> findBatch(String batchId) {
    return repository.findBatch(batchId);
  }

  /**
   * The batch with its current status and counts, without simulations.
   *
   * @throws NotFoundException when there is none
   */
  public Batch getBatch(String batchId) {
    return findBatch(batchId).orElseThrow(() -> new NotFoundException("batch", batchId));
  }

  /**
   * The batch, with its simulations in sequence order when {@code includeSimulations}. For large
   * batches prefer {@link #forEachSimulation}, which streams.
   *
   * @throws NotFoundException when there is none
   */
  public Batch getBatch(String batchId, boolean includeSimulations) {
    Batch batch = getBatch(batchId);
    return includeSimulations ? batch.withSimulations(simulations(batchId)) : batch;
  }

  /** Every batch, newest first. */
  public List<Batch> listBatches(boolean includeSimulations) {
    return listBatches(0, Integer.MAX_VALUE, includeSimulations);
  }

  /**
   * A page of batches, newest first.
   *
   * @throws ValidationException when offset is negative or limit is below 1
   */
  public List<Batch> listBatches(int offset, int limit, boolean includeSimulations) {
    if (offset < 0) {
      throw new ValidationException("offset", "must not be negative, was " + offset);
    }
    if (limit < 1) {
      throw new ValidationException("limit", "must be at least 1, was " + limit);
    }
    List<Batch> batches = repository.listBatches(offset, limit);
    if (!includeSimulations) {
      return batches;
    }
    List<Batch> full = new ArrayList<>(batches.size());
    for (Batch b : batches) {
      full.add(b.withSimulations(simulations(b.id())));
    }
    return full;
  }

  /** The simulation with its turns, whichever batch it belongs to. */
  public Optional<Simulation> findSimulation(String simulationId) {
    Objects.requireNonNull(simulationId, "simulationId");
    return repository.findSimulation(simulationId);
  }

  /**
   * Streams the batch's simulations, with their turns, to {@code action} in sequence order.
   *
   * @throws NotFoundException when the batch does not exist
   */
  public void forEachSimulation(String batchId, Consumer<? super Simulation> action) {
    getBatch(batchId);
    repository.forEachSimulation(batchId, action);
  }

  /**
   * Writes the batch to {@code out} in {@code format} with the {@linkplain ExportOptions#defaults()
   * default options} (CSV formulas neutralised, no byte order mark). Streams with constant memory;
   * a running batch can be exported, its unfinished simulations showing their status. The stream
   * is flushed, not closed. See {@link BatchExporter}.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws UncheckedIOException when writing to {@code out} fails
   */
  public void export(String batchId, ExportFormat format, OutputStream out) {
    exporter.export(batchId, format, out);
  }

  /**
   * Writes the batch to {@code out} in {@code format} with the given options, like {@link
   * #export(String, ExportFormat, OutputStream)}.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws UncheckedIOException when writing to {@code out} fails
   */
  public void export(String batchId, ExportFormat format, ExportOptions options, OutputStream out) {
    exporter.export(batchId, format, options, out);
  }

  /**
   * Writes the batch's entities, as they were when it was created, as CSV ({@code Entity ID, Name,
   * Description, Attributes}) with the default options. The stream is flushed, not closed.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws UncheckedIOException when writing to {@code out} fails
   */
  public void exportEntities(String batchId, OutputStream out) {
    exporter.exportEntitiesCsv(batchId, out);
  }

  /**
   * Writes the batch's entities as CSV with the given options, like {@link #exportEntities(String,
   * OutputStream)}.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws UncheckedIOException when writing to {@code out} fails
   */
  public void exportEntities(String batchId, ExportOptions options, OutputStream out) {
    exporter.exportEntitiesCsv(batchId, options, out);
  }

  // ---- provenance and the response cache ----

  /**
   * The batch's provenance manifest, built from what was stored and what the providers returned:
   * versions, store, workers, the models and system fingerprints that answered, the settings sent,
   * prompt and data digests, times, counts, calls, usage, cost, quality flag counts, cache hits and
   * what they saved (see {@link Manifest}; the saved cost is priced from this instance's response
   * cache, unknown without one).
   *
   * @throws NotFoundException when the batch does not exist
   */
  public Manifest manifest(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return ManifestBuilder.build(getBatch(batchId), repository, responseCache, prices);
  }

  /**
   * Recomputes the batch's digests from the store and says whether its request, entity snapshot
   * and each finished simulation's transcript are unchanged since they were recorded.
   *
   * @throws NotFoundException when the batch does not exist
   */
  public Verification verify(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    return BatchVerifier.verify(getBatch(batchId), repository);
  }

  /** How model calls use the response cache: {@link CacheMode#OFF} when none is configured. */
  public CacheMode cacheMode() {
    return cacheMode;
  }

  /**
   * Writes exactly the response-cache entries the batch used (hits and stored answers), one JSON
   * object per line, to {@code out}, which is flushed, not closed. Another store imports them with
   * {@link #importCache} to replay the batch.
   *
   * @return how many entries were written
   * @throws NotFoundException when the batch does not exist
   * @throws CohortException when no response cache is configured
   */
  public long exportCache(String batchId, OutputStream out) {
    Objects.requireNonNull(out, "out");
    ResponseCache cache = requireCache("export a batch's cache entries");
    getBatch(batchId);
    return CacheTransfer.export(cache, batchId, out);
  }

  /**
   * Stores the cache entries of a file written by {@link #exportCache} (JSON Lines, read from
   * {@code in}, which is not closed), replacing entries with the same key. An entry whose stored
   * SHA-256 does not match its content is skipped with a warning.
   *
   * @return how many entries were stored; the skipped ones are logged
   * @throws ValidationException naming the line when a line is not a cache entry
   * @throws CohortException when no response cache is configured
   */
  public long importCache(InputStream in) {
    Objects.requireNonNull(in, "in");
    return CacheTransfer.importFrom(requireCache("import cache entries"), in).imported();
  }

  private ResponseCache requireCache(String action) {
    if (responseCache == null) {
      throw new CohortException("cannot " + action + ": this Cohort has no response cache;"
          + " give Cohort.builder().responseCache(...) one, such as InMemoryResponseCache.create()");
    }
    return responseCache;
  }

  /**
   * The provider batch jobs of a batch run with execution {@code batch_api}, in submission order:
   * provider id, state, file ids, request counts, when submitted and whether their answers are
   * stored. The last one not applied is the job the batch waits for. Empty for a direct batch.
   *
   * @throws NotFoundException when the batch does not exist
   */
  public List<ProviderJob> providerJobs(String batchId) {
    getBatch(batchId);
    return repository.findProviderJobs(batchId);
  }

  /**
   * Waits until the batch reaches a terminal status, whoever runs it, and returns it.
   *
   * @throws NotFoundException when the batch does not exist (or is deleted while waiting)
   * @throws CohortException when the waiting thread is interrupted or this instance is closed
   */
  public Batch await(String batchId) {
    return await(batchId, null);
  }

  /**
   * Waits up to {@code timeout} for the batch to reach a terminal status and returns it as it then
   * is, finished or not.
   */
  public Batch await(String batchId, @Nullable Duration timeout) {
    long start = ticker.nanos();
    long budget = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
    try {
      while (true) {
        Optional<BatchRun> run = activeRun(batchId);
        if (run.isPresent()) {
          long left = budget - (ticker.nanos() - start);
          if (!run.get().awaitDone(Duration.ofNanos(Math.max(0, Math.min(left, pollInterval.toNanos() * 5))))) {
            if (ticker.nanos() - start >= budget) {
              return getBatch(batchId);
            }
            continue;
          }
        }
        Batch batch = getBatch(batchId);
        if (batch.status().isTerminal() || ticker.nanos() - start >= budget) {
          return batch;
        }
        if (closed) {
          throw new CohortException("this Cohort was closed while waiting for batch " + batchId);
        }
        sleeper.sleep(pollInterval);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CohortException("interrupted while waiting for batch " + batchId, e);
    }
  }

  /**
   * Cancels the batch: no new model calls, unfinished simulations marked {@code cancelled}, the
   * batch {@code cancelled}. Finished simulations keep their results; {@link #resume} runs the
   * cancelled ones. Cancelling a finished batch changes nothing.
   *
   * @throws NotFoundException when the batch does not exist
   */
  public Batch cancel(String batchId) {
    getBatch(batchId);
    long cancelled = cancellation.cancel(batchId);
    if (cancelled > 0) {
      LOG.info("batch {} cancelled; {} unfinished simulations marked cancelled", batchId, cancelled);
    }
    return getBatch(batchId);
  }

  /**
   * Runs what is unfinished of the batch: cancelled simulations become pending again, and this
   * instance starts working on the batch (joining other workers if any). Completed and failed
   * simulations are kept; {@link #retryFailed} runs the failed ones again.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws CohortException when this instance was built without a model
   */
  public Batch resume(String batchId) {
    ensureOpen();
    Runner runner = requireRunner("resume a batch");
    Batch batch = getBatch(batchId);
    if (runner.active(batchId).isPresent()) {
      return batch;
    }
    long requeued = repository.requeueCancelled(batchId);
    if (requeued == 0 && batch.counts().unfinished() == 0 && batch.status().isTerminal()) {
      return batch;
    }
    runner.start(batchId, true);
    return getBatch(batchId);
  }

  /**
   * Runs what is unfinished of the batch, as {@link #resume(String)} does, under {@code budget}:
   * the batch's stored budget is replaced first, so a batch its budget stopped goes on with a
   * higher one (every worker on the store holds the new budget from its next reservation).
   *
   * @throws NotFoundException when the batch does not exist
   * @throws ValidationException naming {@code max_cost_usd} when the batch's model has no price
   * @throws CohortException when this instance was built without a model
   */
  public Batch resume(String batchId, Budget budget) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(budget, "budget");
    ensureOpen();
    requireRunner("resume a batch");
    Batch batch = getBatch(batchId);
    requirePricedForBudget(budget.maxCostUsd(), batch.request().llm().model());
    if (!repository.updateBudget(batchId, budget.maxCostUsd(), budget.maxTotalTokens())) {
      throw new NotFoundException("batch", batchId);
    }
    return resume(batchId);
  }

  /**
   * A money budget needs the model's price: refused when the batch names a model this instance has
   * no price for. A batch that names no model (the adapter's default) is checked at its first
   * answer, by the model that answered.
   */
  private void requirePricedForBudget(@Nullable Double maxCostUsd, @Nullable String model) {
    if (maxCostUsd != null && model != null && prices.find(model).isEmpty()) {
      throw new ValidationException("max_cost_usd", "cannot be held: there is no price for model " + model
          + "; give one with --prices FILE, $COHORT_PRICES or Cohort.builder().prices(...), or cap tokens with"
          + " max_total_tokens instead");
    }
  }

  /**
   * Runs the batch's failed simulations again: each becomes {@code pending}, its failure kept in
   * its {@link Simulation#attemptHistory() attempt history}, and this instance starts working on
   * the batch, which leaves its terminal status ({@code partial} or {@code failed}) for {@code
   * in_progress}. Recorded rounds and usage are kept. A batch with no failed simulation is
   * returned unchanged. {@link #resume} does not do this: it runs only what is unfinished.
   *
   * @throws NotFoundException when the batch does not exist
   * @throws CohortException when this instance was built without a model
   */
  public Batch retryFailed(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    ensureOpen();
    Runner runner = requireRunner("retry failed simulations");
    Batch batch = getBatch(batchId);
    long requeued = repository.requeueFailed(batchId);
    if (requeued == 0) {
      return batch;
    }
    LOG.info("batch {}: {} failed simulations will run again", batchId, requeued);
    // Leave the terminal status now, not when the run's thread gets to it: the caller (and a
    // REST client polling the status) sees at once that the batch runs again.
    repository.transitionBatch(batchId, EnumSet.of(BatchStatus.PARTIAL, BatchStatus.FAILED, BatchStatus.CANCELLED,
        BatchStatus.COMPLETED), BatchStatus.IN_PROGRESS, null);
    runner.start(batchId, true);
    return getBatch(batchId);
  }

  /**
   * Extracts outcomes again, or extracts new ones, from the transcripts of the batch's completed
   * simulations, without simulating anything again: {@link #extractOutcomes(String, List, boolean)}
   * with {@code replace} false.
   */
  public Batch extractOutcomes(String batchId, List<DeclaredOutcome> outcomes) {
    return extractOutcomes(batchId, outcomes, false);
  }

  /**
   * Extracts {@code outcomes} from the transcripts of the batch's completed simulations, without
   * simulating anything again. Without {@code replace} they join the batch's declaration (an
   * outcome with a declared name replaces that declaration and its values are asked again; the
   * other values are kept); with {@code replace} they become the whole declaration and every
   * earlier value is dropped.
   *
   * <p>It runs like the batch itself: the declaration is stored with the batch, its completed
   * simulations become {@code pending} again with the values to redo cleared, and the batch {@code
   * in_progress}; workers claim them under leases as they claim any simulation, play no round
   * (all are recorded) and make only the extraction call, in parallel, with progress events; a
   * crash leaves them pending or leased, and {@link #resume} or {@link #resumeUnfinished} finishes
   * the job. The batch returns to its terminal status when all are done. Failed and cancelled
   * simulations are left as they are. Returns the batch as it then is; {@link #await} waits.
   *
   * @throws ValidationException naming every bad field ({@code outcomes[1].values}), or on {@code
   *     status} when the batch is still running
   * @throws NotFoundException when the batch does not exist
   * @throws CohortException when this instance was built without a model
   */
  public Batch extractOutcomes(String batchId, List<DeclaredOutcome> outcomes, boolean replace) {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(outcomes, "outcomes");
    ensureOpen();
    Runner runner = requireRunner("extract outcomes");
    if (outcomes.isEmpty()) {
      throw new ValidationException("outcomes", "must declare at least one outcome to extract");
    }
    DeclaredOutcome.validate(outcomes, "outcomes");
    Batch batch = getBatch(batchId);
    if (!batch.status().isTerminal() || runner.active(batchId).isPresent()) {
      throw new ValidationException("status", "batch " + batchId + " is " + batch.status().wireName()
          + "; outcomes can be extracted once it has finished");
    }
    List<DeclaredOutcome> declaration = OutcomeDeclaration.merge(batch.request().outcomes(), outcomes, replace);
    BatchRequest request = batch.request().toBuilder().outcomes(declaration).build();
    @Nullable Set<String> cleared = null;
    if (!replace) {
      cleared = new LinkedHashSet<>();
      for (DeclaredOutcome o : outcomes) {
        cleared.add(o.name());
      }
    }
    long requeued = repository.requeueForOutcomes(batchId, request, cleared);
    if (requeued == 0) {
      return getBatch(batchId);
    }
    LOG.info("batch {}: outcomes of {} completed simulations will be extracted", batchId, requeued);
    repository.transitionBatch(batchId, EnumSet.of(BatchStatus.PARTIAL, BatchStatus.FAILED, BatchStatus.CANCELLED,
        BatchStatus.COMPLETED), BatchStatus.IN_PROGRESS, null);
    runner.start(batchId, true);
    return getBatch(batchId);
  }

  /**
   * Deletes the batch and all its simulations, stopping it first if it runs here.
   *
   * @return whether it existed
   */
  public boolean deleteBatch(String batchId) {
    cancellation.cancelIfRunningHere(batchId);
    return repository.deleteBatch(batchId);
  }

  /**
   * Starts working on every batch left {@code pending} or {@code in_progress} in the repository,
   * such as those of a process that crashed. Returns their ids. Batches whose creation a crashed
   * process left unfinished (never visible, never run) and older than {@link
   * #ABANDONED_CREATION_AGE} are deleted, with a warning naming them.
   *
   * @throws CohortException when this instance was built without a model
   */
  public List<String> resumeUnfinished() {
    ensureOpen();
    Runner runner = requireRunner("resume unfinished batches");
    List<String> abandoned = repository.deleteUnpublishedBatches(clock.instant().minus(ABANDONED_CREATION_AGE));
    if (!abandoned.isEmpty()) {
      LOG.warn("deleted {} batches whose creation never finished (the process creating them stopped): {}",
          abandoned.size(), String.join(", ", abandoned));
    }
    List<String> ids = repository.findBatchIds(RUNNABLE);
    for (String id : ids) {
      runner.start(id, false);
    }
    if (!ids.isEmpty()) {
      LOG.info("resuming {} unfinished batches", ids.size());
    }
    return ids;
  }

  /**
   * Stops this instance's workers without cancelling anything: running simulations are given back
   * (they stay resumable) and threads this instance started end. Waits up to 30 s.
   */
  @Override
  public void close() {
    closed = true;
    if (runner != null) {
      runner.close();
    }
    // After the runner: no call of this worker is paced any more, so its share can go.
    limitShares.forEach(LimitShare::leave);
  }

  /** The batch's run in this process, if one is active; never one on a read-only instance. */
  private Optional<BatchRun> activeRun(String batchId) {
    Runner r = runner;
    return r == null ? Optional.empty() : r.active(batchId);
  }

  private Runner requireRunner(String action) {
    if (runner == null) {
      throw new CohortException("cannot " + action + ": this Cohort was built without llm(...) and only reads;"
          + " give Cohort.builder().llm(...) a LlmPort, such as SimulatedLlm.create(), to run batches");
    }
    return runner;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this Cohort is closed");
    }
  }

  private List<Simulation> simulations(String batchId) {
    List<Simulation> all = new ArrayList<>();
    repository.forEachSimulation(batchId, all::add);
    return all;
  }

  /** Configures a {@link Cohort}; each setting is checked as it is given. */
  public static final class Builder {
    private @Nullable LlmPort llm;
    private @Nullable ModelRegistry models;
    private @Nullable RepositoryPort repository;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private @Nullable Executor executor;
    private ProgressListener listener = ProgressListener.NONE;
    private @Nullable String workerId;
    private Duration leaseDuration = DEFAULT_LEASE_DURATION;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private int maxCallAttempts = DEFAULT_MAX_CALL_ATTEMPTS;
    private int maxReasks = DEFAULT_MAX_REASKS;
    private int transcriptWindow = DEFAULT_TRANSCRIPT_WINDOW;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.SYSTEM;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private @Nullable RateLimit rateLimit;
    private @Nullable WorkerRegistry workerRegistry;
    private Duration workerHeartbeatInterval = LimitShare.DEFAULT_INTERVAL;
    private boolean resumeOnStart;
    private long maxPlannedSimulations = DEFAULT_MAX_PLANNED_SIMULATIONS;
    private PriceTable prices = PriceTable.builtIn();
    private @Nullable ResponseCache responseCache;
    private CacheMode cacheMode = CacheMode.READ_WRITE;
    private Duration batchJobPollInterval = DEFAULT_BATCH_JOB_POLL_INTERVAL;
    private int batchJobMaxRequests = DEFAULT_BATCH_JOB_MAX_REQUESTS;
    private long batchJobMaxBytes = DEFAULT_BATCH_JOB_MAX_BYTES;

    private Builder() {}

    /**
     * How often a running provider batch job (execution {@code batch_api}) is read; default {@link
     * #DEFAULT_BATCH_JOB_POLL_INTERVAL} (60 s: jobs take minutes to hours).
     *
     * @throws IllegalArgumentException when it is shorter than 1 ms
     */
    public Builder batchJobPollInterval(Duration interval) {
      if (interval == null || interval.toMillis() < 1) {
        throw new IllegalArgumentException("batchJobPollInterval must be at least 1 ms, was " + interval);
      }
      this.batchJobPollInterval = interval;
      return this;
    }

    /**
     * The most requests and input-file bytes of one provider batch job; a round beyond them is split
     * into several jobs. Default {@value #DEFAULT_BATCH_JOB_MAX_REQUESTS} requests and {@value
     * #DEFAULT_BATCH_JOB_MAX_BYTES} bytes, OpenAI's limits.
     *
     * @throws IllegalArgumentException when either is below 1
     */
    public Builder batchJobLimits(int maxRequests, long maxBytes) {
      if (maxRequests < 1) {
        throw new IllegalArgumentException("batchJobLimits maxRequests must be at least 1, was " + maxRequests);
      }
      if (maxBytes < 1) {
        throw new IllegalArgumentException("batchJobLimits maxBytes must be at least 1, was " + maxBytes);
      }
      this.batchJobMaxRequests = maxRequests;
      this.batchJobMaxBytes = maxBytes;
      return this;
    }

    /**
     * A response cache in front of every model call: an intact stored answer to the same request
     * (same endpoint, model, parameters, messages and seed) is used without calling the model, takes
     * no rate-limit token, bills no tokens and counts in {@code usage.cache_hits}. Default: none.
     * The mode is {@link CacheMode#READ_WRITE} unless {@link #cacheMode} says otherwise.
     */
    public Builder responseCache(ResponseCache cache) {
      this.responseCache = Objects.requireNonNull(cache, "responseCache");
      return this;
    }

    /**
     * How calls use the {@link #responseCache}; default {@link CacheMode#READ_WRITE}. In {@link
     * CacheMode#REPLAY} a call whose answer is not in the cache fails its simulation ("not in the
     * cache", naming the simulation and round) and no model is ever called.
     */
    public Builder cacheMode(CacheMode mode) {
      this.cacheMode = Objects.requireNonNull(mode, "cacheMode");
      return this;
    }

    /**
     * The language model; required to create, run or resume batches. Without it the instance is
     * read-only (see {@link Cohort}).
     */
    public Builder llm(LlmPort llm) {
      this.llm = Objects.requireNonNull(llm, "llm");
      return this;
    }

    /**
     * Named models a batch may run on ({@link BatchRequest#models()}), each with its own rate limit
     * and retries; a batch that names none runs on {@link #llm}, or on the registry's first model
     * when no {@code llm} is given. A batch-fatal error (such as a bad key) of one named model
     * fails only that model's simulations, and the batch ends {@code partial} saying which.
     */
    public Builder models(ModelRegistry models) {
      this.models = Objects.requireNonNull(models, "models");
      return this;
    }

    /** Required: where entities, batches and simulations are stored. */
    public Builder repository(RepositoryPort repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
      return this;
    }

    /** Most simulations running at once across all batches; default {@value #DEFAULT_MAX_IN_FLIGHT}. */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    /**
     * Runs each simulation; the caller owns it and shuts it down. Default: a virtual thread per
     * simulation on Java 21+, a pool of {@code maxInFlight} platform threads on 17.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Receives progress events; default none. */
    public Builder progressListener(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "progressListener");
      return this;
    }

    /** This instance's id in leases; default {@code worker-} and 8 random hex digits. */
    public Builder workerId(String workerId) {
      if (workerId == null || workerId.isBlank()) {
        throw new IllegalArgumentException("workerId must not be blank");
      }
      this.workerId = workerId;
      return this;
    }

    /**
     * How long a claim holds without renewal (renewed every third of it); a crashed worker's
     * simulations are picked up after this long. Default 60 s; at least 30 ms.
     */
    public Builder leaseDuration(Duration leaseDuration) {
      if (leaseDuration == null || leaseDuration.toMillis() < 30) {
        throw new IllegalArgumentException("leaseDuration must be at least 30 ms, was " + leaseDuration);
      }
      this.leaseDuration = leaseDuration;
      return this;
    }

    /** How often to look again while other workers hold the remaining simulations; default 200 ms. */
    public Builder pollInterval(Duration pollInterval) {
      if (pollInterval == null || pollInterval.toMillis() < 1) {
        throw new IllegalArgumentException("pollInterval must be at least 1 ms, was " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /** Calls per model request, the first included; default {@value #DEFAULT_MAX_CALL_ATTEMPTS}. */
    public Builder maxCallAttempts(int maxCallAttempts) {
      if (maxCallAttempts < 1) {
        throw new IllegalArgumentException("maxCallAttempts must be at least 1, was " + maxCallAttempts);
      }
      this.maxCallAttempts = maxCallAttempts;
      return this;
    }

    /** Re-asks per round when an answer is unusable; default {@value #DEFAULT_MAX_REASKS}. */
    public Builder maxReasks(int maxReasks) {
      if (maxReasks < 0) {
        throw new IllegalArgumentException("maxReasks must not be negative, was " + maxReasks);
      }
      this.maxReasks = maxReasks;
      return this;
    }

    /** Most characters of earlier transcript shown to the model; default {@value #DEFAULT_TRANSCRIPT_WINDOW}. */
    public Builder transcriptWindow(int characters) {
      if (characters < 1) {
        throw new IllegalArgumentException("transcriptWindow must be at least 1, was " + characters);
      }
      this.transcriptWindow = characters;
      return this;
    }

    /** The clock for timestamps; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The monotonic time source for deadlines (waiting for a batch, closing) and rate-limit
     * pacing; default {@link Ticker#SYSTEM}.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** How to wait between retries; default {@link Sleeper#SYSTEM}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Whether {@link #build()} resumes batches left pending or in progress (see {@link Cohort#resumeUnfinished()}). */
    public Builder resumeOnStart(boolean resumeOnStart) {
      this.resumeOnStart = resumeOnStart;
      return this;
    }

    /**
     * Paces the model calls of every batch of this instance together, as one provider account
     * sees them: at most the limit's requests and tokens per minute, spread evenly rather than in
     * bursts; a rate-limit answer (HTTP 429) pauses every call for its retry-after; and the
     * provider's limits, when its answers report them ({@code x-ratelimit-limit-requests} and
     * {@code -tokens}), are kept as well when they are lower. Default ({@link RateLimit#NONE}): no
     * limit of its own, so calls are paced only at the limits the provider reports and paused on
     * its 429s; a server that reports none (a local one) gets every call at once.
     */
    public Builder rateLimit(RateLimit rateLimit) {
      this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
      return this;
    }

    /**
     * Shares each model's rate limit (told with {@link #rateLimit} or a model's own, or learned
     * from the provider's headers) with the other workers registered in {@code registry} under the
     * same model and endpoint: each paces at the limit divided by the live workers. A worker sends
     * a heartbeat every {@link #workerHeartbeatInterval} while it makes model calls, stops counting
     * after three missed ones (killed, or idle), and leaves at
     * {@link Cohort#close()}. Default: none, each instance paces at the whole limit.
     */
    public Builder workerRegistry(WorkerRegistry registry) {
      this.workerRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * How often a worker sharing a limit ({@link #workerRegistry}) sends its heartbeat and re-reads
     * how many workers share it; default 2 s.
     *
     * @throws IllegalArgumentException when it is shorter than 1 ms
     */
    public Builder workerHeartbeatInterval(Duration interval) {
      if (interval == null || interval.toMillis() < 1) {
        throw new IllegalArgumentException("workerHeartbeatInterval must be at least 1 ms, was " + interval);
      }
      this.workerHeartbeatInterval = interval;
      return this;
    }

    /**
     * Most simulations one batch may plan, min(C(n,k), num_simulations) × replicates; a larger
     * request is refused by {@link Cohort#createBatch} with a {@link ValidationException}, and the
     * REST API and the command line apply the same limit. Default {@value
     * #DEFAULT_MAX_PLANNED_SIMULATIONS}; at least 1.
     */
    public Builder maxPlannedSimulations(long maxPlannedSimulations) {
      if (maxPlannedSimulations < 1) {
        throw new IllegalArgumentException("maxPlannedSimulations must be at least 1, was " + maxPlannedSimulations);
      }
      this.maxPlannedSimulations = maxPlannedSimulations;
      return this;
    }

    /**
     * The prices calls are costed with, matched on the model name the provider returns. Default
     * {@link PriceTable#builtIn()}; to extend or override it, pass {@code
     * PriceTable.builtIn().withAll(PriceTable.parse(json))}. A model the table does not price has
     * an unknown cost, never zero.
     */
    public Builder prices(PriceTable prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /**
     * Builds the instance.
     *
     * @throws IllegalStateException when the repository is missing, or {@link #resumeOnStart} is
     *     set without a model
     */
    public Cohort build() {
      if (resumeOnStart && llm == null && models == null) {
        throw new IllegalStateException("resumeOnStart needs llm: give a LlmPort, such as SimulatedLlm.create()");
      }
      if (cacheMode != CacheMode.READ_WRITE && cacheMode != CacheMode.OFF && responseCache == null) {
        throw new IllegalStateException("cacheMode " + cacheMode.wireName() + " needs a responseCache");
      }
      if (repository == null) {
        throw new IllegalStateException("repository is required: give a RepositoryPort, such as InMemoryRepository.create()");
      }
      LlmPort model = llm != null ? llm : models != null ? models.first().llm() : null;
      Cohort cohort = new Cohort(this, model, repository);
      if (resumeOnStart) {
        cohort.resumeUnfinished();
      }
      return cohort;
    }
  }
}
