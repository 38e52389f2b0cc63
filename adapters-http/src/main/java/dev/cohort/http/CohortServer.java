package dev.cohort.http;

import com.sun.net.httpserver.HttpServer;
import dev.cohort.core.Cohort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Cohort} over HTTP with the original system's REST API, on the JDK's built-in
 * {@code com.sun.net.httpserver}.
 *
 * <pre>{@code
 * try (CohortServer server = CohortServer.builder(cohort).port(8080).build().start()) {
 *   System.out.println("listening on " + server.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p>Safe by default: it binds to 127.0.0.1; binding any other address needs a {@linkplain
 * Builder#bearerToken bearer token} or an explicit {@link Builder#insecure()}. Bodies are capped at
 * {@value #DEFAULT_MAX_BODY_BYTES} bytes, one request may plan at most the Cohort's {@link
 * Cohort#maxPlannedSimulations()} simulations, and neither headers nor bodies are logged.
 *
 * <p>Stopping the server does not close the {@code Cohort}: batches keep running, and the caller
 * closes it. A server starts once; build a new one to serve again.
 */
public final class CohortServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CohortServer.class);

  /** Address bound unless set: loopback only, so nothing outside this machine can connect. */
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
  /** Largest request body accepted unless set, in bytes (1 MiB); larger ones get 413. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  /** Request threads on Java 17, where there are no virtual threads, unless an executor is given. */
  public static final int DEFAULT_PLATFORM_THREADS = 32;
  /** How long {@link #stop()} waits for requests in progress unless set. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(1);
  /** Shortest bearer token accepted: anything shorter is guessable. */
  public static final int MIN_TOKEN_LENGTH = 16;
  /** The JDK server's switch for TCP_NODELAY on its connections. */
  private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final Cohort cohort;
  private final InetAddress bindAddress;
  private final int requestedPort;
  private final @Nullable String token;
  private final @Nullable Executor executor;
  private final int maxBodyBytes;
  private final Duration stopGrace;
  private @Nullable HttpServer server;
  private @Nullable ExecutorService ownExecutor;
  private boolean started;

  private CohortServer(Builder b) {
    this.cohort = b.cohort;
    this.bindAddress = b.bindAddress;
    this.requestedPort = b.port;
    this.token = b.token;
    this.executor = b.executor;
    this.maxBodyBytes = b.maxBodyBytes;
    this.stopGrace = b.stopGrace;
  }

  /** A builder for a server of {@code cohort}. */
  public static Builder builder(Cohort cohort) {
    return new Builder(Objects.requireNonNull(cohort, "cohort"));
  }

  /**
   * Binds the port and starts answering requests.
   *
   * @return this server
   * @throws IllegalStateException when it was already started
   * @throws UncheckedIOException when the address cannot be bound (the port is taken, say)
   */
  public synchronized CohortServer start() {
    if (started) {
      throw new IllegalStateException("this server was already started; build a new one to serve again");
    }
    started = true;
    Router router = new Router(token == null ? exchange -> { } : new BearerTokenGuard(token));
    router.publicRoute("GET", "/api/health", exchange -> exchange.success(200, gen -> {
      gen.writeStartObject();
      gen.writeStringField("status", "ok");
      gen.writeEndObject();
    }));
    // Before the batch routes: the first pattern that matches a path wins, and /{batch_id} would.
    new EstimateRoute(cohort).register(router);
    new BatchRoutes(cohort).register(router);
    new ExportRoute(cohort, Clock.systemUTC()).register(router);
    new OutcomeRoute(cohort).register(router);
    new ManifestRoute(cohort).register(router);
    new AnalysisRoutes(cohort).register(router);
    new EntityRoutes(cohort).register(router);
    disableNagle();
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(bindAddress, requestedPort), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + bindAddress.getHostAddress() + ":" + requestedPort
          + ": " + e.getMessage(), e);
    }
    http.createContext("/", new ApiHandler(router, maxBodyBytes));
    if (executor != null) {
      http.setExecutor(executor);
    } else {
      ExecutorService own = ServerThreads.create(DEFAULT_PLATFORM_THREADS);
      ownExecutor = own;
      http.setExecutor(own);
    }
    http.start();
    server = http;
    if (!bindAddress.isLoopbackAddress() && token == null) {
      LOG.warn("REST API listening on {} without a bearer token: anyone who can reach this address controls it",
          uri());
    } else {
      LOG.info("REST API listening on {}{}", uri(), token == null ? "" : " (bearer token required)");
    }
    return this;
  }

  /**
   * Asks the JDK server to send each response at once. Left to its default it keeps Nagle's
   * algorithm on, and a small response then waits about 40 ms for the client's delayed
   * acknowledgement of the headers: ten times the time a request takes. The JDK reads this
   * setting once, when the first server of the JVM starts; a value set on the command line wins.
   */
  private static void disableNagle() {
    if (System.getProperty(NO_DELAY_PROPERTY) == null) {
      System.setProperty(NO_DELAY_PROPERTY, "true");
    }
  }

  /**
   * The port the server listens on: the one given, or the one the system chose for port 0.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public synchronized int port() {
    HttpServer http = server;
    if (http == null) {
      throw new IllegalStateException("the server is not running; call start() first");
    }
    return http.getAddress().getPort();
  }

  /**
   * The base URI of the API, such as {@code http://127.0.0.1:8080}.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public URI uri() {
    String host = bindAddress.getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port());
  }

  /**
   * Stops listening, waits up to the stop grace for requests in progress, then ends them, and shuts
   * down the request threads the server created (never an executor the caller gave). Does not
   * close the {@code Cohort}. Does nothing when not running.
   */
  public synchronized void stop() {
    HttpServer http = server;
    if (http == null) {
      return;
    }
    server = null;
    // HttpServer.stop takes whole seconds; round up so a grace of 500 ms still waits.
    http.stop((int) Math.min(Integer.MAX_VALUE, (stopGrace.toMillis() + 999) / 1000));
    ExecutorService own = ownExecutor;
    if (own != null) {
      own.shutdownNow();
      try {
        own.awaitTermination(stopGrace.toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ownExecutor = null;
    }
    LOG.info("REST API stopped");
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public synchronized String toString() {
    HttpServer http = server;
    return "CohortServer[" + bindAddress.getHostAddress() + ":" + (http == null ? requestedPort : http.getAddress().getPort())
        + (token == null ? "" : ", bearer token required") + (http == null ? ", stopped" : "") + "]";
  }

  /** Configures a {@link CohortServer}; each setting is checked as it is given and again in {@link #build()}. */
  public static final class Builder {
    private final Cohort cohort;
    private int port;
    private InetAddress bindAddress;
    private @Nullable String token;
    private @Nullable Executor executor;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration stopGrace = DEFAULT_STOP_GRACE;
    private boolean insecure;

    private Builder(Cohort cohort) {
      this.cohort = cohort;
      try {
        this.bindAddress = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      } catch (UnknownHostException e) {
        throw new IllegalStateException("a four-byte address is always valid", e);
      }
    }

    /** The port to listen on, 0 to 65535; 0 (the default) lets the system choose a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The address to listen on, as an IP address or host name; default {@value #DEFAULT_BIND_ADDRESS}.
     * Any address but loopback needs a {@link #bearerToken} or {@link #insecure()}.
     *
     * @throws IllegalArgumentException when the name does not resolve
     */
    public Builder bindAddress(String host) {
      Objects.requireNonNull(host, "bindAddress");
      try {
        return bindAddress(InetAddress.getByName(host));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bindAddress " + host + " does not resolve to an address", e);
      }
    }

    /** The address to listen on; see {@link #bindAddress(String)}. */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "bindAddress");
      return this;
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on every route but {@code GET /api/health};
     * others get 401. At least {@value #MIN_TOKEN_LENGTH} visible ASCII characters, no spaces.
     */
    public Builder bearerToken(String token) {
      Objects.requireNonNull(token, "bearerToken");
      if (token.length() < MIN_TOKEN_LENGTH) {
        throw new IllegalArgumentException("bearerToken must have at least " + MIN_TOKEN_LENGTH
            + " characters, had " + token.length());
      }
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (c <= ' ' || c > '~') {
          throw new IllegalArgumentException("bearerToken must hold visible ASCII characters only, without spaces");
        }
      }
      this.token = token;
      return this;
    }

    /**
     * Runs requests on {@code executor}, which the caller owns and shuts down. Default: a virtual
     * thread per request on Java 21+, {@value #DEFAULT_PLATFORM_THREADS} platform threads on 17.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Largest request body accepted, in bytes, at least 1024; default {@value #DEFAULT_MAX_BODY_BYTES}. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024, was " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** How long {@link CohortServer#stop()} waits for requests in progress; default 1 s, zero or more. */
    public Builder stopGrace(Duration stopGrace) {
      Objects.requireNonNull(stopGrace, "stopGrace");
      if (stopGrace.isNegative()) {
        throw new IllegalArgumentException("stopGrace must not be negative, was " + stopGrace);
      }
      this.stopGrace = stopGrace;
      return this;
    }

    /**
     * Allows binding a non-loopback address without a bearer token: anyone who can reach the
     * address can then create, read and delete everything. Only for a trusted network or behind a
     * proxy that authenticates.
     */
    public Builder insecure() {
      this.insecure = true;
      return this;
    }

    /**
     * Builds the server, not yet started.
     *
     * @throws IllegalStateException when a non-loopback address is set without a token or {@link #insecure()}
     */
    public CohortServer build() {
      if (!bindAddress.isLoopbackAddress() && token == null && !insecure) {
        throw new IllegalStateException("binding " + bindAddress.getHostAddress()
            + " exposes the API beyond this machine: set a bearerToken, or call insecure() to allow it without one");
      }
      return new CohortServer(this);
    }
  }
}
