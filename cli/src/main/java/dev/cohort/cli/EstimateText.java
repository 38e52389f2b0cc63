package dev.cohort.cli;

import dev.cohort.core.spend.Estimate;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints a spend {@link Estimate} as the command line shows it: a low / expected / high table and its assumptions. */
final class EstimateText {
  private EstimateText() {}

  static void print(Estimate estimate, String heading, PrintWriter out) {
    out.println(heading);
    out.println(String.format(Locale.ROOT, "  %-20s %14s %14s %14s", "", "low", "expected", "high"));
    row(out, "Calls", estimate.calls());
    row(out, "Prompt tokens", estimate.promptTokens());
    row(out, "  of them cached", estimate.cachedPromptTokens());
    row(out, "Completion tokens", estimate.completionTokens());
    row(out, "Total tokens", estimate.totalTokens());
    Estimate.Cost cost = estimate.costUsd();
    if (cost == null) {
      out.println("  Cost: unknown (no price for " + (estimate.model() == null ? "this model" : estimate.model())
          + "; see --prices)");
    } else {
      out.println(String.format(Locale.ROOT, "  %-20s %14s %14s %14s", "Cost (USD)", dollars(cost.low()),
          dollars(cost.expected()), dollars(cost.high())));
    }
    out.println("Assumptions:");
    for (String assumption : estimate.assumptions()) {
      out.println("  - " + assumption);
    }
    out.flush();
  }

  private static void row(PrintWriter out, String label, Estimate.Count count) {
    out.println(String.format(Locale.ROOT, "  %-20s %14s %14s %14s", label, Formats.count(count.low()),
        Formats.count(count.expected()), Formats.count(count.high())));
  }

  /** Dollars with cents, and with four decimals below a dollar so small pilots do not read as $0.00. */
  static String dollars(double usd) {
    return usd >= 1 ? String.format(Locale.ROOT, "$%,.2f", usd) : String.format(Locale.ROOT, "$%.4f", usd);
  }
}
