package dev.cohort.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.analysis.Analysis.EntityEffect;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.analysis.Analysis.Summary;
import dev.cohort.analysis.ModelComparison.Method;
import dev.cohort.analysis.ModelComparison.ModelDifference;
import dev.cohort.analysis.ModelComparison.ModelOutcome;
import dev.cohort.analysis.internal.AnalysisJson;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.ModelAssignment;
import dev.cohort.inmemory.InMemoryRepository;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model comparison of the {@link ModelsReferenceBatch}, crossed and balanced, against figures
 * computed independently with NumPy and SciPy 1.17 by the models section of {@code
 * src/test/resources/reference/analysis_reference.py} (the SciPy call of each is written beside
 * it), to 1e-9 relative.
 */
class ModelComparisonReferenceTest {
  private static final double RELATIVE = 1e-9;

  private Cohort cohort;
  private Analysis crossed;
  private Analysis balanced;

  @BeforeEach
  void analyse() {
    InMemoryRepository repository = InMemoryRepository.create();
    ModelsReferenceBatch.store(repository, "crossed", ModelAssignment.CROSSED);
    ModelsReferenceBatch.store(repository, "balanced", ModelAssignment.BALANCED);
    cohort = Cohort.builder().repository(repository).build();
    crossed = CohortAnalysis.analyze(cohort, "crossed");
    balanced = CohortAnalysis.analyze(cohort, "balanced");
  }

  @AfterEach
  void close() {
    cohort.close();
  }

  private static void close(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * RELATIVE));
  }

  private static ModelComparison models(Analysis analysis, String outcome) {
    ModelComparison models = analysis.outcome(outcome).orElseThrow().models();
    assertThat(models).as("model comparison of " + outcome).isNotNull();
    return models;
  }

  private static OutcomeAnalysis on(ModelComparison models, String model) {
    return models.byModel().stream().filter(m -> m.model().equals(model)).findFirst().orElseThrow().analysis();
  }

  private static void difference(ModelDifference d, String model, String other, long n, double difference,
      double low, double high, double df, double t, double p, double pHolm) {
    assertThat(d.model()).isEqualTo(model);
    assertThat(d.otherModel()).isEqualTo(other);
    assertThat(d.n()).isEqualTo(n);
    close(d.difference(), difference);
    close(d.ciLow(), low);
    close(d.ciHigh(), high);
    close(d.df(), df);
    close(d.t(), t);
    close(d.p(), p);
    close(d.pHolm(), pHolm);
  }

  @Test
  void eachModelHasItsOwnMeanAndTInterval() {
    ModelComparison tone = models(crossed, "tone");
    assertThat(tone.byModel()).extracting(ModelOutcome::model).containsExactly("mini", "llama", "claude");
    // n, x.mean(), x.std(ddof=1), stats.ttest_1samp(x, 0).confidence_interval(0.95)
    double[][] expected = {
        {12, 3.128333333333334, 1.0923771687415837, 2.4342699931828644, 3.8223966734838033},
        {11, 4.041818181818182, 1.560338541354524, 2.993568486418945, 5.090067877217419},
        {11, 2.9254545454545453, 0.9992233347591882, 2.254167175094614, 3.5967419158144764}};
    for (int m = 0; m < 3; m++) {
      Summary s = tone.byModel().get(m).analysis().summary();
      assertThat(s.n()).isEqualTo((long) expected[m][0]);
      close(s.mean(), expected[m][1]);
      close(s.sd(), expected[m][2]);
      close(s.ciLow(), expected[m][3]);
      close(s.ciHigh(), expected[m][4]);
    }
    // The outcome over all models stays as it was: 36 simulations, one failed, one flagged.
    assertThat(crossed.outcome("tone").orElseThrow().summary().n()).isEqualTo(34);
  }

  @Test
  void crossedDifferencesArePairedByGroupAndReplicate() {
    ModelComparison tone = models(crossed, "tone");
    assertThat(tone.paired()).isTrue();
    assertThat(tone.differences()).allSatisfy(d -> assertThat(d.method()).isEqualTo(Method.PAIRED_T));
    // r = stats.ttest_rel(x_a, x_b) over units both completed: pairs, mean(x_a − x_b),
    // r.confidence_interval(0.95), r.df, r.statistic, r.pvalue, Holm over the three
    List<ModelDifference> d = tone.differences();
    assertThat(d).hasSize(3);
    difference(d.get(0), "mini", "llama", 11, -0.9372727272727274, -1.7756038143430193, -0.09894164020243545, 10.0,
        -2.4911085974894713, 0.031929511622135955, 0.06385902324427191);
    difference(d.get(1), "mini", "claude", 11, 0.25818181818181823, -0.5304649915775275, 1.046828627941164, 10.0,
        0.7294329132490962, 0.4824724454848478, 0.4824724454848478);
    difference(d.get(2), "llama", "claude", 10, 1.169, 0.23426423886724013, 2.10373576113276, 9.0,
        2.8291008360548973, 0.019751373716155103, 0.05925412114846531);
    // The failed llama simulation and the flagged claude one each lose their group's pair.
    assertThat(d).extracting(ModelDifference::pairs).containsExactly(11L, 11L, 10L);
  }

  @Test
  void booleanOutcomesGetWilsonPerModelAndPairedDifferences() {
    ModelComparison agreed = models(crossed, "agreed");
    // stats.binomtest(k, n).proportion_ci(0.95, method='wilson') on llama
    Summary llama = on(agreed, "llama").summary();
    assertThat(llama.n()).isEqualTo(11);
    close(llama.mean(), 0.6363636363636364);
    close(llama.ciLow(), 0.35380117450784887);
    close(llama.ciHigh(), 0.8483352890463243);
    // mini − claude: stats.ttest_rel on 0/1
    ModelDifference d = agreed.differences().get(1);
    assertThat(d.otherModel()).isEqualTo("claude");
    assertThat(d.pairs()).isEqualTo(11);
    close(d.difference(), -0.36363636363636365);
    close(d.ciLow(), -0.9071567203290528);
    close(d.ciHigh(), 0.17988399305632552);
    close(d.t(), -1.4907119849998598);
    close(d.p(), 0.16688959581639695);
  }

  @Test
  void entityEffectsAreComputedWithinEachModel() {
    // stats.ttest_ind(with, without, equal_var=False) on mini's simulations, entity a
    EntityEffect a = on(models(crossed, "tone"), "mini").entityEffects().stream()
        .filter(e -> e.entityId().equals("a")).findFirst().orElseThrow();
    assertThat(a.with().n()).isEqualTo(6);
    assertThat(a.without().n()).isEqualTo(6);
    close(a.difference(), 0.45666666666666655);
    close(a.ciLow(), -0.9833538631410779);
    close(a.ciHigh(), 1.896687196474411);
    close(a.df(), 9.912016975693628);
    close(a.t(), 0.7074498658043984);
    close(a.p(), 0.49558370241060495);
  }

  @Test
  void perParticipantOutcomesArePairedByGroupReplicateAndParticipant() {
    // stats.ttest_rel over (unit, participant) keys both models completed: mini − llama
    ModelDifference d = models(crossed, "stance").differences().get(0);
    assertThat(d.pairs()).isEqualTo(22);
    close(d.difference(), -0.36363636363636365);
    close(d.ciLow(), -1.6142930899769588);
    close(d.ciHigh(), 0.8870203627042313);
    close(d.df(), 21.0);
    close(d.t(), -0.6046608956218625);
    close(d.p(), 0.5518823172592242);
  }

  @Test
  void categoricalOutcomesAreCountedPerModelWithoutADifference() {
    ModelComparison verdict = models(crossed, "verdict");
    assertThat(verdict.differences()).isEmpty();
    // llama's 11 analysed answers: 7 agreed (0.636 above), so 7 "yes".
    assertThat(on(verdict, "llama").frequencies()).extracting(Analysis.Frequency::count).containsExactly(7L, 4L);
  }

  @Test
  void balancedBatchesHaveNoPairsAndGetWelchInstead() {
    ModelComparison tone = models(balanced, "tone");
    assertThat(tone.paired()).isFalse();
    assertThat(tone.explanation()).contains("no group has a pair").contains("Welch");
    List<ModelDifference> d = tone.differences();
    assertThat(d).allSatisfy(x -> {
      assertThat(x.method()).isEqualTo(Method.WELCH);
      assertThat(x.pairs()).isZero();
    });
    // stats.ttest_ind(x_a, x_b, equal_var=False): n both, difference, interval, df, t, p; Holm
    difference(d.get(0), "mini", "llama", 8, -1.9975, -4.116714907281871, 0.12171490728187129, 5.88168316903631,
        -2.317669200607191, 0.06049927921901368, 0.18149783765704103);
    difference(d.get(1), "mini", "claude", 8, -0.18500000000000005, -2.069792479417438, 1.6997924794174375,
        5.964175603021188, -0.24052441947910846, 0.8179779690319218, 0.8179779690319218);
    difference(d.get(2), "llama", "claude", 8, 1.8125, -0.25379945421801064, 3.8787994542180106, 5.730293289287671,
        2.1710901306391985, 0.07508365771848952, 0.18149783765704103);
  }

  @Test
  void aBatchOfOneModelHasNoComparison() {
    InMemoryRepository repository = InMemoryRepository.create();
    ReferenceBatch.store(repository, "one");
    try (Cohort single = Cohort.builder().repository(repository).build()) {
      assertThat(CohortAnalysis.analyze(single, "one").outcomes()).allSatisfy(o -> assertThat(o.models()).isNull());
    }
  }

  @Test
  void jsonCarriesTheComparisonInSnakeCase() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    StringWriter text = new StringWriter();
    try (JsonGenerator gen = mapper.getFactory().createGenerator(text)) {
      AnalysisJson.write(gen, crossed);
    }
    JsonNode models = mapper.readTree(text.toString()).path("outcomes").get(0).path("models");
    assertThat(models.path("assignment").asText()).isEqualTo("crossed");
    assertThat(models.path("paired").asBoolean()).isTrue();
    assertThat(models.path("explanation").asText()).contains("paired t");
    assertThat(models.path("by_model").get(1).path("model").asText()).isEqualTo("llama");
    assertThat(models.path("by_model").get(1).path("summary").path("n").asLong()).isEqualTo(11);
    assertThat(models.path("by_model").get(0).path("entity_effects")).hasSize(4);
    JsonNode first = models.path("differences").get(0);
    assertThat(first.path("model").asText()).isEqualTo("mini");
    assertThat(first.path("other_model").asText()).isEqualTo("llama");
    assertThat(first.path("method").asText()).isEqualTo("paired_t");
    assertThat(first.path("pairs").asLong()).isEqualTo(11);
    close(first.path("p").asDouble(), 0.031929511622135955);
    close(first.path("p_holm").asDouble(), 0.06385902324427191);
  }
}
