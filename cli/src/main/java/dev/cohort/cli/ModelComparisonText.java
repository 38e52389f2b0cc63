package dev.cohort.cli;

import dev.cohort.analysis.Analysis.EntityEffect;
import dev.cohort.analysis.Analysis.Frequency;
import dev.cohort.analysis.Analysis.Summary;
import dev.cohort.analysis.ModelComparison;
import dev.cohort.analysis.ModelComparison.ModelDifference;
import dev.cohort.analysis.ModelComparison.ModelOutcome;
import java.io.PrintWriter;

/**
 * An outcome's {@link ModelComparison} as text tables, printed by {@code cohort analyze} under the
 * outcome: the outcome on each model, each pair of models' difference (paired or Welch, said which)
 * and the entity effects within each model.
 */
final class ModelComparisonText {
  private ModelComparisonText() {}

  static void print(PrintWriter out, ModelComparison models) {
    out.println("By model (" + models.explanation() + "):");
    Table table = new Table("MODEL", "N", "MEAN", "SD", "95% CI", "INTERVAL");
    boolean anySummary = false;
    for (ModelOutcome m : models.byModel()) {
      Summary s = m.analysis().summary();
      if (s != null) {
        anySummary = true;
        table.row(m.model(), Long.toString(s.n()), AnalysisText.number(s.mean()), AnalysisText.number(s.sd()),
            AnalysisText.interval(s.ciLow(), s.ciHigh()), s.method().wireName());
      }
    }
    if (anySummary) {
      table.print(out);
    }
    if (!models.differences().isEmpty()) {
      out.println(models.paired()
          ? "Model differences (first minus second, paired by group and replicate; p adjusted by Holm):"
          : "Model differences (first minus second, Welch: a balanced batch has no pairs; p adjusted by Holm):");
      Table differences = new Table("MODEL", "MINUS", "TEST", "PAIRS", "N", "DIFFERENCE", "95% CI", "P", "P HOLM");
      for (ModelDifference d : models.differences()) {
        differences.row(d.model(), d.otherModel(), d.method().wireName(), Long.toString(d.pairs()),
            Long.toString(d.n()), AnalysisText.number(d.difference()), AnalysisText.interval(d.ciLow(), d.ciHigh()),
            AnalysisText.p(d.p()), AnalysisText.p(d.pHolm()));
      }
      differences.print(out);
    }
    for (ModelOutcome m : models.byModel()) {
      if (!m.analysis().entityEffects().isEmpty()) {
        out.println("Entity effects within " + m.model() + " (with minus without; Welch; p adjusted by Holm):");
        Table effects = new Table("ENTITY", "WITH N", "WITHOUT N", "DIFFERENCE", "95% CI", "P", "P HOLM");
        for (EntityEffect e : m.analysis().entityEffects()) {
          effects.row(e.entityName(), Long.toString(e.with().n()), Long.toString(e.without().n()),
              AnalysisText.number(e.difference()), AnalysisText.interval(e.ciLow(), e.ciHigh()), AnalysisText.p(e.p()),
              AnalysisText.p(e.pHolm()));
        }
        effects.print(out);
      }
      if (!m.analysis().frequencies().isEmpty()) {
        out.println("Answers on " + m.model() + ":");
        Table answers = new Table("ANSWER", "COUNT", "SHARE");
        for (Frequency f : m.analysis().frequencies()) {
          answers.row(f.label(), Long.toString(f.count()), AnalysisText.percent(f.share()));
        }
        answers.print(out);
      }
    }
  }
}
