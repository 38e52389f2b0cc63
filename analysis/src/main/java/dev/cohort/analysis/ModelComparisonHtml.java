package dev.cohort.analysis;

import dev.cohort.analysis.Analysis.EntityEffect;
import dev.cohort.analysis.Analysis.Frequency;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.analysis.Analysis.Summary;
import dev.cohort.analysis.ModelComparison.ModelDifference;
import dev.cohort.analysis.ModelComparison.ModelOutcome;
import dev.cohort.analysis.SvgCharts.Row;
import java.util.List;

/**
 * The report's "Models" section, for a batch run on several models: per outcome, a chart and table
 * of each model's mean, the differences between models (paired or Welch, said which) and the entity
 * effects within each model. Every model, entity and outcome name passes through {@link
 * HtmlText#escape}.
 */
final class ModelComparisonHtml {
  private ModelComparisonHtml() {}

  /** Whether any outcome of the analysis has a model comparison: only then is there a section. */
  static boolean applies(Analysis analysis) {
    return analysis.outcomes().stream().anyMatch(o -> o.models() != null);
  }

  /** The section's markup. */
  static String section(Analysis analysis) {
    StringBuilder html = new StringBuilder("<h2 id=\"models\">Models</h2>");
    for (OutcomeAnalysis o : analysis.outcomes()) {
      ModelComparison models = o.models();
      if (models == null) {
        continue;
      }
      html.append("<h3>").append(esc(o.name())).append(" by model</h3><p class=\"muted\">")
          .append(esc(models.explanation())).append(".</p>");
      List<ModelOutcome> withSummary = models.byModel().stream().filter(m -> m.analysis().summary() != null).toList();
      if (!withSummary.isEmpty()) {
        Summary all = o.summary();
        html.append(SvgCharts.forest(o.name() + " by model", withSummary.stream().map(m -> {
          Summary s = m.analysis().summary();
          return new Row(m.model(), s.mean(), s.ciLow(), s.ciHigh());
        }).toList(), all == null ? 0 : all.mean()));
        html.append("<table><tr><th>model</th><th>n</th><th>mean</th><th>sd</th><th>95 % CI</th></tr>");
        for (ModelOutcome m : withSummary) {
          html.append("<tr><td>").append(esc(m.model())).append("</td>")
              .append(HtmlReport.summaryCells(m.analysis().summary())).append("</tr>");
        }
        html.append("</table>");
      }
      differences(html, o.name(), models);
      for (ModelOutcome m : models.byModel()) {
        entityEffects(html, m);
        frequencies(html, m);
      }
    }
    return html.toString();
  }

  private static void differences(StringBuilder html, String outcome, ModelComparison models) {
    if (models.differences().isEmpty()) {
      return;
    }
    html.append(SvgCharts.forest("Differences between models on " + outcome, models.differences().stream()
        .map(d -> new Row(d.model() + " − " + d.otherModel(), d.difference(), d.ciLow(), d.ciHigh())).toList(), 0));
    html.append("<table><tr><th>model</th><th>minus</th><th>test</th><th>pairs</th><th>n</th><th>difference</th>"
        + "<th>95 % CI</th><th>p</th><th>p (Holm)</th></tr>");
    for (ModelDifference d : models.differences()) {
      html.append("<tr><td>").append(esc(d.model())).append("</td><td>").append(esc(d.otherModel()))
          .append("</td><td>").append(d.method() == ModelComparison.Method.PAIRED_T ? "paired t" : "Welch")
          .append("</td><td class=\"n\">").append(d.pairs()).append("</td><td class=\"n\">").append(d.n())
          .append("</td><td class=\"n\">").append(HtmlText.number(d.difference())).append("</td><td class=\"n\">")
          .append(HtmlReport.interval(d.ciLow(), d.ciHigh())).append("</td><td class=\"n\">")
          .append(HtmlText.p(d.p())).append("</td><td class=\"n\">").append(HtmlText.p(d.pHolm()))
          .append("</td></tr>");
    }
    html.append("</table>");
  }

  private static void entityEffects(StringBuilder html, ModelOutcome m) {
    List<EntityEffect> effects = m.analysis().entityEffects();
    if (effects.isEmpty()) {
      return;
    }
    html.append("<h3>").append(esc(m.analysis().name())).append(": entity effects within ").append(esc(m.model()))
        .append("</h3><table><tr><th>entity</th><th>with n</th><th>without n</th><th>difference</th>"
            + "<th>95 % CI (Welch)</th><th>p</th><th>p (Holm)</th></tr>");
    for (EntityEffect e : effects) {
      html.append("<tr><td>").append(esc(e.entityName())).append("</td><td class=\"n\">").append(e.with().n())
          .append("</td><td class=\"n\">").append(e.without().n()).append("</td><td class=\"n\">")
          .append(HtmlText.number(e.difference())).append("</td><td class=\"n\">")
          .append(HtmlReport.interval(e.ciLow(), e.ciHigh())).append("</td><td class=\"n\">")
          .append(HtmlText.p(e.p())).append("</td><td class=\"n\">").append(HtmlText.p(e.pHolm()))
          .append("</td></tr>");
    }
    html.append("</table>");
  }

  private static void frequencies(StringBuilder html, ModelOutcome m) {
    List<Frequency> frequencies = m.analysis().frequencies();
    if (frequencies.isEmpty()) {
      return;
    }
    html.append("<h3>").append(esc(m.analysis().name())).append(": answers on ").append(esc(m.model()))
        .append("</h3><table><tr><th>answer</th><th>count</th><th>share</th></tr>");
    for (Frequency f : frequencies) {
      html.append("<tr><td>").append(esc(f.label())).append("</td><td class=\"n\">").append(f.count())
          .append("</td><td class=\"n\">").append(HtmlText.percent(f.share())).append("</td></tr>");
    }
    html.append("</table>");
  }

  private static String esc(String text) {
    return HtmlText.escape(text);
  }
}
