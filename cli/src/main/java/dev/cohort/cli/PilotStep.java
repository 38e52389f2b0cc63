package dev.cohort.cli;

import dev.cohort.core.Cohort;
import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.Simulation;
import dev.cohort.core.batch.SimulationStatus;
import dev.cohort.core.batch.TokenUsage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code cohort run --pilot N}: runs the first N simulations of a new batch, prints what the rest
 * will spend calibrated from them, and decides whether to go on: {@code --yes} goes on; on a
 * terminal the user is asked; otherwise it stops and says how to run the rest.
 */
final class PilotStep {
  private final Cohort cohort;
  private final StoreOptions store;
  private final PrintWriter out;
  private final PrintWriter err;

  PilotStep(Cohort cohort, StoreOptions store, PrintWriter out, PrintWriter err) {
    this.cohort = cohort;
    this.store = store;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the pilot of {@code batch}, a batch just created without running it.
   *
   * @return null to run the rest, else the exit code to stop with
   */
  @Nullable Integer run(Batch batch, int size, boolean yes, boolean terminal) {
    err.println("Pilot: running " + Math.min(size, batch.plannedSimulations()) + " of " + batch.plannedSimulations()
        + " simulations first.");
    err.flush();
    Batch after = cohort.runPilot(batch.id(), size);
    List<Simulation> pilot = new ArrayList<>();
    cohort.forEachSimulation(batch.id(), s -> {
      if (s.status() == SimulationStatus.COMPLETED || s.status() == SimulationStatus.FAILED) {
        pilot.add(s);
      }
    });
    TokenUsage used = pilot.stream().map(Simulation::usage).reduce(TokenUsage.ZERO, TokenUsage::plus);
    long failed = pilot.stream().filter(s -> s.status() == SimulationStatus.FAILED).count();
    out.println("Pilot: " + pilot.size() + " simulations finished (" + (pilot.size() - failed) + " completed, "
        + failed + " failed); " + Formats.count(used.promptTokens()) + " prompt tokens ("
        + Formats.count(used.cachedTokens()) + " cached), " + Formats.count(used.completionTokens())
        + " completion tokens.");
    if (after.status().isTerminal()) {
      out.println("The batch ended during the pilot: " + after.status().wireName()
          + (after.error() != null ? " (" + after.error() + ")" : ""));
      out.flush();
      return ExitCode.of(after.status());
    }
    long rest = after.counts().unfinished();
    EstimateText.print(cohort.estimate(after.request(), pilot), "Estimate for the remaining " + Formats.count(rest)
        + " simulations, calibrated from the pilot:", out);
    if (rest == 0) {
      return null;
    }
    String resume = "'cohort batches resume " + batch.id() + store.hintFlag() + "'";
    if (yes) {
      return null;
    }
    if (!terminal) {
      err.println("Stopped after the pilot (no terminal to ask, and no --yes): the batch is kept; " + resume
          + " runs the remaining " + rest + " simulations.");
      err.flush();
      return ExitCode.OK;
    }
    err.print("Run the remaining " + Formats.count(rest) + " simulations? [y/N] ");
    err.flush();
    String answer = readLine();
    if (answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
      return null;
    }
    err.println("Stopped after the pilot: the batch is kept; " + resume + " runs the rest.");
    err.flush();
    return ExitCode.OK;
  }

  private static @Nullable String readLine() {
    try {
      // Not closed: closing it would close standard input.
      return new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())).readLine();
    } catch (IOException e) {
      return null;
    }
  }
}
