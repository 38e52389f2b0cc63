package dev.cohort.jdbc;

import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.FailedAttempt;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.BatchStatus;
import dev.cohort.core.batch.CohortException;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import dev.cohort.core.port.BatchSpend;
import dev.cohort.core.port.BatchSeal;
import dev.cohort.core.port.ProviderJob;
import dev.cohort.core.port.SubmissionIntent;
import dev.cohort.core.port.ClaimedSimulation;
import dev.cohort.core.port.ExtractedOutcomes;
import dev.cohort.core.port.HeldLease;
import dev.cohort.core.port.Lease;
import dev.cohort.core.port.RepositoryPort;
import dev.cohort.core.port.RoundResult;
import dev.cohort.core.port.SpendReservation;
import dev.cohort.core.port.TurnResult;
import dev.cohort.core.port.StoreInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RepositoryPort} over plain JDBC, for SQLite (the embedded default: one file that Python,
 * R or DuckDB can open), PostgreSQL (one database shared by several worker processes) and H2.
 *
 * <pre>{@code
 * RepositoryPort local = JdbcRepository.sqlite(Path.of("cohort.db"));
 * RepositoryPort shared = JdbcRepository.builder()
 *     .url("jdbc:postgresql://db.example.org/cohort").user("cohort").password(secret)
 *     .build();
 * RepositoryPort pooled = JdbcRepository.builder().dataSource(hikari).build();
 * }</pre>
 *
 * <p>At start-up the schema is brought up to date by the versioned scripts under {@code
 * db/migration/<dialect>/}, unless {@link Builder#migrate(boolean) migrate(false)} leaves that to a
 * DBA. Workers claim simulations with row locks that skip rows other workers hold ({@code FOR UPDATE
 * SKIP LOCKED}) on PostgreSQL, under SQLite's single write lock ({@code BEGIN IMMEDIATE} and {@code
 * UPDATE … RETURNING}) on SQLite, and in turns on the batch's row on H2; lease times come from the
 * database clock.
 *
 * <p>The JDBC drivers are optional dependencies: add the one of your database ({@link
 * Dialect#driverArtifact()}: {@code org.xerial:sqlite-jdbc}, {@code org.postgresql:postgresql} or
 * {@code com.h2database:h2}). Building from a URL without it fails with a message naming it.
 *
 * <p>Thread-safe. Close it when it owns its connections (built from a URL); closing a repository
 * built on a caller's {@code DataSource} leaves the data source alone.
 */
public final class JdbcRepository implements RepositoryPort, AutoCloseable {
  /** The database used when neither a URL nor a data source is given: {@code cohort.db} in the working directory. */
  public static final String DEFAULT_URL = "jdbc:sqlite:./cohort.db";
  /** The sqlite-jdbc connection property that turns off its fetching of generated keys after each INSERT. */
  static final String SQLITE_GENERATED_KEYS = "jdbc.get_generated_keys";
  /** Most connections a repository built from a URL opens at once (SQLite always uses one). */
  public static final int DEFAULT_MAX_CONNECTIONS = 10;

  private final Dialect dialect;
  private final Database db;
  private final EntityStore entities;
  private final BatchStore batches;
  private final SimulationStore simulations;
  private final LeaseStore leases;
  private final SpendLedger ledger;
  private final ProvenanceStore provenance;
  private final ProviderJobStore providerJobs;
  private final CoordinatorLeaseStore coordinators;
  private final SubmissionIntentStore submissionIntents;

  private JdbcRepository(Dialect dialect, Database db) {
    this.dialect = dialect;
    this.db = db;
    SimulationReader reader = new SimulationReader(db.sql());
    this.entities = new EntityStore(db);
    this.batches = new BatchStore(db);
    this.simulations = new SimulationStore(db, reader);
    this.leases = new LeaseStore(db, reader);
    this.ledger = new SpendLedger(db);
    this.provenance = new ProvenanceStore(db);
    this.providerJobs = new ProviderJobStore(db);
    this.coordinators = new CoordinatorLeaseStore(db);
    this.submissionIntents = new SubmissionIntentStore(db);
  }

  /** A new builder; without a URL or data source it builds the SQLite file {@link #DEFAULT_URL}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A repository on the SQLite file {@code file}, created with its schema when missing. */
  public static JdbcRepository sqlite(Path file) {
    Objects.requireNonNull(file, "file");
    return builder().url("jdbc:sqlite:" + file).build();
  }

  /** The database this repository speaks to. */
  public Dialect dialect() {
    return dialect;
  }

  @Override
  public void saveEntities(Collection<Entity> entities) {
    this.entities.save(entities);
  }

  @Override
  public Optional<Entity> findEntity(String id) {
    return entities.find(id);
  }

  @Override
  public List<Entity> findEntities(Collection<String> ids) {
    return entities.find(ids);
  }

  @Override
  public List<Entity> listEntities() {
    return entities.list();
  }

  @Override
  public boolean deleteEntity(String id) {
    return entities.delete(id);
  }

  @Override
  public void createBatch(Batch batch, Iterator<? extends Simulation> simulations) {
    batches.create(batch, simulations);
  }

  @Override
  public void appendSimulations(String batchId, BatchRequest request, long requestedSimulations,
      long plannedSimulations, Iterator<? extends Simulation> simulations) {
    batches.append(batchId, request, requestedSimulations, plannedSimulations, simulations);
  }

  @Override
  public List<String> deleteUnpublishedBatches(Instant createdBefore) {
    return batches.deleteUnpublished(createdBefore);
  }

  @Override
  public Optional<Batch> findBatch(String batchId) {
    return batches.find(batchId);
  }

  @Override
  public List<Batch> listBatches(int offset, int limit) {
    return batches.list(offset, limit);
  }

  @Override
  public List<String> findBatchIds(Set<BatchStatus> statuses) {
    return batches.findIds(statuses);
  }

  @Override
  public boolean transitionBatch(String batchId, Set<BatchStatus> from, BatchStatus to, @Nullable String error) {
    return batches.transition(batchId, from, to, error);
  }

  @Override
  public boolean deleteBatch(String batchId) {
    return batches.delete(batchId);
  }

  @Override
  public Optional<Simulation> findSimulation(String simulationId) {
    return simulations.find(simulationId);
  }

  @Override
  public void forEachSimulation(String batchId, Consumer<? super Simulation> action) {
    simulations.forEach(batchId, action);
  }

  @Override
  public List<ClaimedSimulation> claim(String batchId, String owner, int max, Duration leaseDuration,
      Set<String> excludedModels) {
    return leases.claim(batchId, owner, max, leaseDuration, excludedModels);
  }

  @Override
  public List<HeldLease> findLiveLeases(String batchId) {
    return leases.live(batchId);
  }

  @Override
  public Set<String> renew(Collection<Lease> leases, Duration leaseDuration) {
    return this.leases.renew(leases, leaseDuration);
  }

  @Override
  public boolean recordRound(Lease lease, RoundResult round) {
    return leases.recordRound(lease, round);
  }

  @Override
  public boolean recordTurn(Lease lease, TurnResult turn) {
    return leases.recordTurn(lease, turn);
  }

  @Override
  public boolean finish(Lease lease, SimulationStatus status, @Nullable String error, TokenUsage unrecordedUsage,
      @Nullable Double unrecordedCostUsd) {
    return leases.finish(lease, status, error, unrecordedUsage, unrecordedCostUsd);
  }

  @Override
  public boolean finishCompleted(Lease lease, List<QualityFlag> flags) {
    Objects.requireNonNull(flags, "flags");
    return leases.finish(lease, SimulationStatus.COMPLETED, null, TokenUsage.ZERO, 0.0, flags, null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Renders the transcript and its digest from {@code turns}, so the finish reads no rounds back.
   */
  @Override
  public boolean finishCompleted(Lease lease, List<QualityFlag> flags, List<Turn> turns) {
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(turns, "turns");
    return leases.finish(lease, SimulationStatus.COMPLETED, null, TokenUsage.ZERO, 0.0, flags, List.copyOf(turns));
  }

  /**
   * {@inheritDoc}
   *
   * <p>On SQLite and H2 in one transaction that writes the simulation's row once; on PostgreSQL as
   * the round's write, then the finish.
   */
  @Override
  public boolean finishCompleted(Lease lease, RoundResult lastRound, List<QualityFlag> flags, List<Turn> turns) {
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(turns, "turns");
    return leases.finishCompleted(lease, lastRound, flags, turns);
  }

  @Override
  public boolean release(Lease lease) {
    return leases.release(lease);
  }

  @Override
  public boolean unclaim(Lease lease) {
    return leases.unclaim(lease);
  }

  @Override
  public SpendReservation reserveSpend(Lease lease, double costUsd, long tokens, @Nullable Double maxCostUsd,
      @Nullable Long maxTotalTokens) {
    return ledger.reserve(lease, costUsd, tokens, maxCostUsd, maxTotalTokens);
  }

  @Override
  public void settleSpend(Lease lease, double costUsd, long tokens) {
    ledger.settle(lease, costUsd, tokens);
  }

  @Override
  public BatchSpend spentOn(String batchId) {
    return ledger.spentOn(batchId);
  }

  @Override
  public boolean updateBudget(String batchId, @Nullable Double maxCostUsd, @Nullable Long maxTotalTokens) {
    return ledger.updateBudget(batchId, maxCostUsd, maxTotalTokens);
  }

  @Override
  public long cancelUnfinished(String batchId) {
    return leases.cancelUnfinished(batchId);
  }

  @Override
  public long requeueCancelled(String batchId) {
    return leases.requeueCancelled(batchId);
  }
  @Override
  public long requeueFailed(String batchId) {
    return leases.requeueFailed(batchId);
  }

  @Override
  public boolean recordOutcomes(Lease lease, ExtractedOutcomes outcomes) {
    return leases.recordOutcomes(lease, outcomes);
  }

  @Override
  public long requeueForOutcomes(String batchId, BatchRequest request, @Nullable Set<String> cleared) {
    return leases.requeueForOutcomes(batchId, request, cleared);
  }

  @Override
  public boolean appendAttempt(Lease lease, FailedAttempt setAside, @Nullable List<Turn> keptTurns,
      TokenUsage rerunUsage, @Nullable Double rerunCostUsd) {
    return leases.appendAttempt(lease, setAside, keptTurns, rerunUsage, rerunCostUsd);
  }

  @Override
  public void recordFlags(String simulationId, List<QualityFlag> flags) {
    FlagColumn.record(db, simulationId, flags);
  }

  /** {@inheritDoc} Here in one JDBC batch of up to 500 simulations per transaction. */
  @Override
  public void recordFlags(Map<String, List<QualityFlag>> flagsById) {
    FlagColumn.record(db, flagsById);
  }


  /** The dialect ({@code sqlite}, {@code postgresql}, {@code h2}) and the schema version applied. */
  @Override
  public StoreInfo storeInfo() {
    return provenance.info();
  }

  @Override
  public void saveSeal(String batchId, BatchSeal seal) {
    provenance.saveSeal(batchId, seal);
  }

  @Override
  public Optional<BatchSeal> findSeal(String batchId) {
    return provenance.findSeal(batchId);
  }

  @Override
  public void saveProviderJob(ProviderJob job) {
    providerJobs.save(job);
  }

  @Override
  public List<ProviderJob> findProviderJobs(String batchId) {
    return providerJobs.find(batchId);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code leaseDuration} is not positive
   */
  @Override
  public boolean acquireCoordinator(String batchId, String owner, Duration leaseDuration) {
    return coordinators.acquire(batchId, owner, leaseDuration);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code leaseDuration} is not positive
   */
  @Override
  public boolean renewCoordinator(String batchId, String owner, Duration leaseDuration) {
    return coordinators.renew(batchId, owner, leaseDuration);
  }

  @Override
  public void releaseCoordinator(String batchId, String owner) {
    coordinators.release(batchId, owner);
  }

  @Override
  public Optional<String> findCoordinator(String batchId) {
    return coordinators.liveOwner(batchId);
  }

  @Override
  public void saveSubmissionIntent(SubmissionIntent intent) {
    submissionIntents.save(intent);
  }

  @Override
  public List<SubmissionIntent> findSubmissionIntents(String batchId) {
    return submissionIntents.find(batchId);
  }

  @Override
  public void deleteSubmissionIntent(SubmissionIntent intent) {
    submissionIntents.delete(intent);
  }

  /** The database, for a {@link JdbcResponseCache} that shares it. */
  Database database() {
    return db;
  }

  /** Closes the connections this repository opened; a caller's data source stays open. */
  @Override
  public void close() {
    db.close();
  }

  @Override
  public String toString() {
    return "JdbcRepository[" + dialect.folder() + "]";
  }

  /**
   * Configures a {@link JdbcRepository}: either a JDBC {@link #url URL} (the repository then opens
   * and owns its connections) or a {@link #dataSource DataSource} (the caller's pool owns them).
   */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable String user;
    private @Nullable String password;
    private @Nullable DataSource dataSource;
    private @Nullable Dialect dialect;
    private boolean migrate = true;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;

    private Builder() {}

    /**
     * The JDBC URL to connect to, such as {@code jdbc:sqlite:/data/cohort.db}, {@code
     * jdbc:postgresql://host:5432/cohort} or {@code jdbc:h2:./cohort}. For an in-memory SQLite
     * database use {@code jdbc:sqlite::memory:} or {@code jdbc:sqlite:file:name?mode=memory&cache=shared}:
     * it lives while the repository is open.
     */
    public Builder url(String url) {
      Objects.requireNonNull(url, "url");
      if (!url.startsWith("jdbc:")) {
        throw new IllegalArgumentException("url must be a JDBC URL starting with 'jdbc:', was '" + url + "'");
      }
      if (dataSource != null) {
        throw new IllegalStateException("a dataSource was already set; give either a url or a dataSource");
      }
      this.url = url;
      return this;
    }

    /** The user to connect as with a {@link #url URL}; optional. */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /** The password for {@link #user}; optional. Never logged or shown. */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** The data source to take connections from; the caller keeps owning (and closing) it. */
    public Builder dataSource(DataSource dataSource) {
      Objects.requireNonNull(dataSource, "dataSource");
      if (url != null) {
        throw new IllegalStateException("a url was already set to '" + url + "'; give either a url or a dataSource");
      }
      this.dataSource = dataSource;
      return this;
    }

    /** The database dialect; by default detected from the URL or from the data source's metadata. */
    public Builder dialect(Dialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /** Whether to apply missing schema migrations at start-up; default true. Turn off for DBA-managed schemas. */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /** Most connections opened at once from a {@link #url URL}; default {@value #DEFAULT_MAX_CONNECTIONS}. */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Connects, checks the dialect, and migrates the schema unless told not to.
     *
     * @throws CohortException when the database cannot be reached or migrated, or when the JDBC
     *     driver of a {@link #url URL}'s database is not on the class path (the message names the
     *     dependency to add)
     * @throws IllegalArgumentException when the dialect cannot be told
     */
    public JdbcRepository build() {
      DataSource ds = dataSource;
      if (ds != null && (user != null || password != null)) {
        throw new IllegalStateException("user and password go with a url; a dataSource carries its own");
      }
      String jdbcUrl = url != null ? url : DEFAULT_URL;
      Dialect d;
      if (dialect != null) {
        d = dialect;
      } else if (ds != null) {
        d = detect(ds);
      } else {
        d = Dialect.fromUrl(jdbcUrl).orElseThrow(() -> new IllegalArgumentException("cannot tell the dialect of url '"
            + jdbcUrl + "'; set dialect(...) to one of SQLITE, POSTGRESQL, H2"));
      }
      DialectSql sql = DialectSql.of(d);
      ConnectionSource connections;
      if (ds != null) {
        connections = new DataSourceConnections(ds, sql);
      } else {
        Properties props = new Properties();
        if (user != null) {
          props.setProperty("user", user);
        }
        if (password != null) {
          props.setProperty("password", password);
        }
        if (d == Dialect.SQLITE) {
          // The driver otherwise runs "SELECT last_insert_rowid()", prepared anew, after every
          // INSERT to have generated keys at hand; nothing here asks for them, and on the one
          // connection every round's insert waited for it.
          props.setProperty(SQLITE_GENERATED_KEYS, "false");
        }
        requireDriver(jdbcUrl, d);
        connections = new UrlConnections(jdbcUrl, props, sql, sql.serialised() ? 1 : maxConnections);
      }
      Database db = new Database(connections, sql, ds == null ? jdbcUrl : null);
      try {
        db.read("start the repository", c -> {
          sql.start(c);
          return null;
        });
        if (migrate) {
          new Migrator(db).migrate();
        }
      } catch (RuntimeException e) {
        db.close();
        throw e;
      }
      return new JdbcRepository(d, db);
    }

    /**
     * Fails with the dependency to add when no JDBC driver on the class path accepts the URL: the
     * drivers are optional dependencies of cohort-jdbc, and DriverManager's own "No suitable
     * driver found for <url>" neither names the fix nor keeps a password in the URL out of the
     * message.
     */
    private static void requireDriver(String jdbcUrl, Dialect dialect) {
      try {
        DriverManager.getDriver(jdbcUrl);
      } catch (SQLException e) {
        throw new CohortException("no JDBC driver for " + dialect.displayName() + " is on the class path: add the"
            + " dependency " + dialect.driverArtifact() + " to your application (cohort-jdbc does not bring"
            + " the drivers, so that each application carries only the one it uses)");
      }
    }

    private static Dialect detect(DataSource ds) {
      try (Connection c = ds.getConnection()) {
        String product = c.getMetaData().getDatabaseProductName();
        return Dialect.fromProductName(product).orElseThrow(() -> new IllegalArgumentException(
            "Cohort does not speak " + product + "; it supports SQLite, PostgreSQL and H2"));
      } catch (SQLException e) {
        throw new CohortException("could not connect to the data source to detect its dialect: " + e.getMessage(), e);
      }
    }
  }
}
