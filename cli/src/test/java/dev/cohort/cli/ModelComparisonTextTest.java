package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.analysis.Analysis;
import dev.cohort.analysis.Analysis.EntityEffect;
import dev.cohort.analysis.Analysis.IntervalMethod;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.analysis.Analysis.Summary;
import dev.cohort.analysis.ModelComparison;
import dev.cohort.analysis.ModelComparison.Method;
import dev.cohort.analysis.ModelComparison.ModelDifference;
import dev.cohort.analysis.ModelComparison.ModelOutcome;
import dev.cohort.core.batch.DeclaredOutcome;
import dev.cohort.core.batch.ModelAssignment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code cohort analyze} prints under an outcome of a batch run on several models (the
 * statistics themselves are checked against SciPy in the analysis module's
 * ModelComparisonReferenceTest).
 */
class ModelComparisonTextTest {
  private static OutcomeAnalysis tone(double mean, List<EntityEffect> effects) {
    return new OutcomeAnalysis("tone", DeclaredOutcome.Type.NUMBER, DeclaredOutcome.Per.SIMULATION,
        new Summary(12, mean, 1.0, mean - 0.6, mean + 0.6, IntervalMethod.T), effects, List.of(), List.of(), List.of(),
        null, List.of(), List.of());
  }

  private static String print(ModelAssignment assignment, Method method, long pairs) {
    Summary s = new Summary(6, 3.2, 1, 2.1, 4.3, IntervalMethod.T);
    EntityEffect ada = new EntityEffect("a", "Ada", s, s, 0.457, -0.983, 1.897, 9.9, 0.71, 0.4956, 0.9);
    ModelComparison models = new ModelComparison(assignment,
        List.of(new ModelOutcome("mini", tone(3.128, List.of(ada))), new ModelOutcome("llama", tone(4.042, List.of()))),
        List.of(new ModelDifference("mini", "llama", method, pairs, 11, -0.937, -1.776, -0.099, 10, -2.49, 0.0319,
            0.0639)));
    OutcomeAnalysis all = new OutcomeAnalysis("tone", DeclaredOutcome.Type.NUMBER, DeclaredOutcome.Per.SIMULATION,
        new Summary(23, 3.5, 1, 3.1, 3.9, IntervalMethod.T), List.of(), List.of(), List.of(), List.of(), null,
        List.of(), List.of(), models);
    StringWriter text = new StringWriter();
    AnalysisText.print(new PrintWriter(text), new Analysis("b1", 24, 23, 0, 1, false, List.of(all)));
    return text.toString();
  }

  @Test
  void aCrossedBatchPrintsEachModelThePairedDifferencesAndEntityEffectsWithinEachModel() {
    String out = print(ModelAssignment.CROSSED, Method.PAIRED_T, 11);
    assertThat(out).contains("By model (crossed: every group and replicate ran on every model")
        .contains("Model differences (first minus second, paired by group and replicate; p adjusted by Holm):")
        .contains("Entity effects within mini (with minus without; Welch; p adjusted by Holm):")
        .doesNotContain("Entity effects within llama");
    String[] lines = out.split("\n");
    int header = indexOf(lines, "MODEL  MINUS");
    assertThat(lines[header + 1]).startsWith("mini   llama  paired_t  11").contains("-0.937")
        .contains("[-1.776, -0.099]").contains("0.032").contains("0.064");
    int byModel = indexOf(lines, "MODEL  N");
    assertThat(lines[byModel + 1]).startsWith("mini").contains("3.128");
    assertThat(lines[byModel + 2]).startsWith("llama").contains("4.042");
  }

  @Test
  void aBalancedBatchSaysItHasNoPairsAndUsesWelch() {
    String out = print(ModelAssignment.BALANCED, Method.WELCH, 0);
    assertThat(out).contains("balanced: each simulation ran on one model, so no group has a pair")
        .contains("Welch: a balanced batch has no pairs").contains("welch");
  }

  private static int indexOf(String[] lines, String prefix) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no line starts with " + prefix);
  }
}
