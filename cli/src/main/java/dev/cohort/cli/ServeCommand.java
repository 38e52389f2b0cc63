package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.CohortException;
import dev.cohort.http.CohortServer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cohort serve}: the REST API on the store, running the batches it creates (and those left
 * unfinished) until Ctrl-C or SIGTERM, when it stops cleanly and leaves unfinished work resumable.
 */
@Command(name = "serve", sortOptions = false, usageHelpAutoWidth = true,
    description = {"Serve the REST API and run the batches it creates, until Ctrl-C.",
        "",
        "The original system's routes (POST/GET/DELETE /api/batch-simulations, exports) plus entities, "
            + "progress, cancel and resume. Batches left unfinished in the store are resumed at start.",
        "",
        "Example: cohort serve --port 8080, then curl http://127.0.0.1:8080/api/batch-simulations"})
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "The port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = 8080;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = CohortServer.DEFAULT_BIND_ADDRESS,
      description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only); another address "
          + "needs --token or --insecure.")
  String bind = CohortServer.DEFAULT_BIND_ADDRESS;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:COHORT_TOKEN}",
      description = "Require 'Authorization: Bearer TOKEN' (at least 16 characters; default: $COHORT_TOKEN).")
  @Nullable String token;

  @Option(names = "--insecure", description = "Allow a non-loopback --bind without a token.")
  boolean insecure;

  @Mixin
  ModelOptions models = new ModelOptions();

  @Mixin
  StoreOptions store = new StoreOptions();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    models.validate();
    if (port < 0 || port > 65_535) {
      throw new UsageException("--port", "must be between 0 and 65535, was " + port);
    }
    try (RunningSession session = RunningSession.open(store, models,
        builder -> builder.resumeOnStart(true).progressListener(new BatchEventLog(err)))) {
      CohortServer server = build(session.cohort());
      listen(server);
      try {
        err.println(session.modelNotice());
        out.println("Serving the REST API at " + server.uri() + "/api on " + store.safeUrl()
            + (token != null ? " (bearer token required)" : "") + "; Ctrl-C stops.");
        out.flush();
        err.flush();
        while (!session.awaitStop(Duration.ofHours(1))) {
          // Serving happens on the server's threads; this one only waits for the stop signal.
        }
        err.println("Stopping: unfinished batches stay resumable.");
        err.flush();
      } finally {
        server.stop();
      }
    }
    return ExitCode.OK;
  }

  /** Starts listening; a port that is taken or not allowed is the user's to change, said in one line. */
  private void listen(CohortServer server) {
    try {
      server.start();
    } catch (UncheckedIOException e) {
      String reason = String.valueOf(e.getCause().getMessage());
      boolean inUse = e.getCause() instanceof BindException && reason.contains("in use");
      throw new CohortException("--port " + port + ": cannot listen on " + bind + ":" + port + ": " + reason
          + (inUse ? "; stop what listens there or choose another port (--port 0 picks a free one)" : ""), e);
    }
  }

  private CohortServer build(Cohort cohort) {
    CohortServer.Builder builder = CohortServer.builder(cohort).port(port);
    try {
      builder.bindAddress(bind);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--bind", e.getMessage());
    }
    if (token != null && !token.isEmpty()) {
      try {
        builder.bearerToken(token);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--token", e.getMessage());
      }
    }
    if (insecure) {
      builder.insecure();
    }
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      throw new UsageException("--bind", e.getMessage());
    }
  }
}
