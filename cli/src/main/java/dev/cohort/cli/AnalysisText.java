package dev.cohort.cli;

import dev.cohort.analysis.Analysis;
import dev.cohort.analysis.Analysis.AttributeSummary;
import dev.cohort.analysis.Analysis.CompositionEffect;
import dev.cohort.analysis.Analysis.EntityEffect;
import dev.cohort.analysis.Analysis.EntitySummary;
import dev.cohort.analysis.Analysis.Frequency;
import dev.cohort.analysis.Analysis.Icc;
import dev.cohort.analysis.Analysis.MemberCount;
import dev.cohort.analysis.Analysis.NamingRate;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.analysis.Analysis.Summary;
import dev.cohort.analysis.ModelComparison;
import java.io.PrintWriter;
import java.util.Locale;

/** An {@link Analysis} as aligned text tables, one block per outcome: what {@code cohort analyze} prints. */
final class AnalysisText {
  private AnalysisText() {}

  static void print(PrintWriter out, Analysis a) {
    out.println("Batch " + a.batchId() + ": " + a.analysed() + " of " + a.simulations() + " simulations analysed ("
        + (a.flaggedIncluded() ? "flagged ones included" : a.excludedFlagged() + " flagged excluded") + ", "
        + a.unfinished() + " not completed). Intervals are 95 %.");
    if (a.outcomes().isEmpty()) {
      out.println("The batch declares no outcome to analyse.");
    }
    for (OutcomeAnalysis o : a.outcomes()) {
      out.println();
      out.println("== " + o.name() + " (" + o.type().wireName() + ", per " + o.per().wireName() + ")");
      Summary s = o.summary();
      if (s != null) {
        Table table = new Table("N", "MEAN", "SD", "95% CI", "INTERVAL");
        table.row(Long.toString(s.n()), number(s.mean()), number(s.sd()), interval(s.ciLow(), s.ciHigh()),
            s.method().wireName());
        table.print(out);
      }
      if (!o.entityEffects().isEmpty()) {
        out.println("Entity effects (mean with the entity minus without; Welch; p adjusted by Holm):");
        Table table = new Table("ENTITY", "WITH N", "WITH MEAN", "WITHOUT N", "WITHOUT MEAN", "DIFFERENCE", "95% CI",
            "P", "P HOLM");
        for (EntityEffect e : o.entityEffects()) {
          table.row(e.entityName(), Long.toString(e.with().n()), number(e.with().mean()), Long.toString(e.without().n()),
              number(e.without().mean()), number(e.difference()), interval(e.ciLow(), e.ciHigh()), p(e.p()),
              p(e.pHolm()));
        }
        table.print(out);
      }
      if (!o.byEntity().isEmpty()) {
        out.println("By entity:");
        Table table = new Table("ENTITY", "N", "MEAN", "SD", "95% CI");
        for (EntitySummary e : o.byEntity()) {
          table.row(e.entityName(), Long.toString(e.summary().n()), number(e.summary().mean()),
              number(e.summary().sd()), interval(e.summary().ciLow(), e.summary().ciHigh()));
        }
        table.print(out);
      }
      if (!o.byAttribute().isEmpty()) {
        out.println("By attribute value:");
        Table table = new Table("ATTRIBUTE", "VALUE", "N", "MEAN", "SD", "95% CI");
        for (AttributeSummary v : o.byAttribute()) {
          table.row(v.attribute(), v.value(), Long.toString(v.summary().n()), number(v.summary().mean()),
              number(v.summary().sd()), interval(v.summary().ciLow(), v.summary().ciHigh()));
        }
        table.print(out);
      }
      if (!o.composition().isEmpty()) {
        out.println("Composition (the outcome by how many members had the value):");
        Table table = new Table("ATTRIBUTE", "VALUE", "MEMBERS", "N", "MEAN", "95% CI");
        for (CompositionEffect c : o.composition()) {
          for (MemberCount m : c.byMembers()) {
            table.row(c.attribute(), c.value(), Integer.toString(m.members()), Long.toString(m.summary().n()),
                number(m.summary().mean()), interval(m.summary().ciLow(), m.summary().ciHigh()));
          }
        }
        table.print(out);
      }
      Icc icc = o.icc();
      if (icc != null) {
        out.println("Replicates: " + icc.groups() + " groups ran " + icc.observations() + " times; ICC "
            + number(icc.icc()) + " (F " + number(icc.f()) + ", p " + p(icc.p()) + ")");
      }
      if (!o.frequencies().isEmpty()) {
        Table table = new Table("ANSWER", "COUNT", "SHARE");
        for (Frequency f : o.frequencies()) {
          table.row(f.label(), Long.toString(f.count()), percent(f.share()));
        }
        table.print(out);
      }
      if (!o.namingRates().isEmpty()) {
        out.println("Naming rate (times named per appearance):");
        Table table = new Table("ENTITY", "NAMED", "APPEARANCES", "RATE");
        for (NamingRate r : o.namingRates()) {
          table.row(r.entityName(), Long.toString(r.named()), Long.toString(r.appearances()), percent(r.rate()));
        }
        table.print(out);
      }
      ModelComparison models = o.models();
      if (models != null) {
        ModelComparisonText.print(out, models);
      }
    }
    out.flush();
  }

  static String number(double value) {
    if (!Double.isFinite(value)) {
      return "-";
    }
    String text = String.format(Locale.ROOT, "%.3f", value);
    // A difference that rounds to zero is shown as zero, whichever side it fell on.
    return text.equals("-0.000") ? "0.000" : text;
  }

  static String p(double value) {
    if (!Double.isFinite(value)) {
      return "-";
    }
    return value < 0.001 ? String.format(Locale.ROOT, "%.1e", value) : String.format(Locale.ROOT, "%.3f", value);
  }

  static String percent(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", share * 100) : "-";
  }

  static String interval(double low, double high) {
    return Double.isFinite(low) ? "[" + number(low) + ", " + number(high) + "]" : "-";
  }
}
