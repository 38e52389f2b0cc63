package dev.cohort.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.analysis.Analysis.EntityEffect;
import dev.cohort.analysis.Analysis.IntervalMethod;
import dev.cohort.analysis.Analysis.OutcomeAnalysis;
import dev.cohort.analysis.Analysis.Summary;
import dev.cohort.core.Cohort;
import dev.cohort.core.batch.NotFoundException;
import dev.cohort.core.batch.ValidationException;
import dev.cohort.inmemory.InMemoryRepository;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every statistic of the {@link ReferenceBatch} against figures computed independently with NumPy
 * and SciPy 1.17 by {@code src/test/resources/reference/analysis_reference.py} (the SciPy call of
 * each is written beside it), to 1e-9 relative.
 */
class AnalysisReferenceTest {
  private static final double RELATIVE = 1e-9;

  private Cohort cohort;
  private Analysis analysis;

  @BeforeEach
  void analyse() {
    InMemoryRepository repository = InMemoryRepository.create();
    ReferenceBatch.store(repository, "ref");
    cohort = Cohort.builder().repository(repository).build();
    analysis = CohortAnalysis.analyze(cohort, "ref");
  }

  @AfterEach
  void close() {
    cohort.close();
  }

  private static void close(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * RELATIVE));
  }

  private static void summary(Summary s, long n, double mean, double sd, double low, double high) {
    assertThat(s.n()).isEqualTo(n);
    close(s.mean(), mean);
    close(s.sd(), sd);
    close(s.ciLow(), low);
    close(s.ciHigh(), high);
  }

  private OutcomeAnalysis outcome(String name) {
    return analysis.outcome(name).orElseThrow();
  }

  @Test
  void countsLeaveOutFlaggedAndUnfinishedSimulations() {
    assertThat(analysis.simulations()).isEqualTo(30);
    assertThat(analysis.analysed()).isEqualTo(27);
    assertThat(analysis.excludedFlagged()).isEqualTo(2);
    assertThat(analysis.unfinished()).isEqualTo(1);
    assertThat(analysis.outcomes()).extracting(OutcomeAnalysis::name)
        .containsExactly("tone", "agreed", "stance", "verdict", "leader");
  }

  @Test
  void numberSummaryIsAMeanWithATInterval() {
    // n, tone.mean(), tone.std(ddof=1), stats.ttest_1samp(tone, 0).confidence_interval(0.95)
    Summary s = outcome("tone").summary();
    summary(s, 27, 2.765185185185185, 1.2371473712673111, 2.27578598464076, 3.2545843857296104);
    assertThat(s.method()).isEqualTo(IntervalMethod.T);
  }

  @Test
  void booleanSummaryIsAProportionWithAWilsonInterval() {
    // k = 7 of n = 27; stats.binomtest(7, 27).proportion_ci(confidence_level=0.95, method='wilson')
    Summary s = outcome("agreed").summary();
    summary(s, 27, 0.25925925925925924, 0.44657608470472243, 0.1317037456190719, 0.4467857131455308);
    assertThat(s.method()).isEqualTo(IntervalMethod.WILSON);
  }

  @Test
  void entityEffectsMatchWelchsTestAndHolmsAdjustmentRankedByDifference() {
    // r = stats.ttest_ind(with, without, equal_var=False): r.df, r.statistic, r.pvalue,
    // r.confidence_interval(0.95); Holm step-down written out in the script.
    // id, n with, mean with, n without, mean without, difference, ci low, ci high, df, t, p, p Holm
    double[][] expected = {
        {10, 3.2399999999999998, 17, 2.4858823529411764, 0.7541176470588233, -0.1517072663186565, 1.6599425604363032,
            23.935059758003835, 1.718484227779152, 0.09861905775739954, 0.2958571732721986},
        {11, 3.3590909090909093, 16, 2.356875, 1.0022159090909093, 0.05712444676387163, 1.947307371417947,
            21.15193117843021, 2.2043484451938653, 0.038707188679329395, 0.15482875471731758},
        {11, 2.6718181818181814, 16, 2.8293749999999998, -0.15755681818181833, -1.1894811016709101, 0.8743674653072735,
            21.148552285724495, -0.3173849688853603, 0.7540637295128361, 1.0},
        {10, 1.8670000000000002, 17, 3.293529411764706, -1.4265294117647056, -2.394329637829923, -0.4587291856994884,
            14.437979392323701, -3.152424064624259, 0.006835359116599536, 0.03417679558299768},
        {12, 2.6591666666666662, 15, 2.85, -0.19083333333333385, -1.165191791389032, 0.7835251247223642,
            24.98187586736998, -0.4033865181286529, 0.6900957875848504, 1.0}};
    List<String> ids = List.of("a", "b", "c", "d", "e");
    Map<String, EntityEffect> effects = outcome("tone").entityEffects().stream()
        .collect(Collectors.toMap(EntityEffect::entityId, Function.identity()));
    for (int i = 0; i < ids.size(); i++) {
      EntityEffect e = effects.get(ids.get(i));
      double[] x = expected[i];
      assertThat(e.with().n()).isEqualTo((long) x[0]);
      close(e.with().mean(), x[1]);
      assertThat(e.without().n()).isEqualTo((long) x[2]);
      close(e.without().mean(), x[3]);
      close(e.difference(), x[4]);
      close(e.ciLow(), x[5]);
      close(e.ciHigh(), x[6]);
      close(e.df(), x[7]);
      close(e.t(), x[8]);
      close(e.p(), x[9]);
      close(e.pHolm(), x[10]);
    }
    assertThat(outcome("tone").entityEffects()).extracting(EntityEffect::entityId)
        .containsExactly("b", "a", "c", "e", "d");
  }

  @Test
  void compositionGivesTheOutcomeByMembersOfEachAttributeValue() {
    // tone in groups with 0, 1, 2 members of party A: n, mean, stats.ttest_1samp(x, 0).confidence_interval(0.95)
    double[][] expected = {{9, 1.96, 1.0145070584141136, 2.9054929415858863},
        {15, 2.9793333333333334, 2.4052158592059767, 3.55345080746069},
        {3, 4.11, 2.646254657616147, 5.573745342383853}};
    Analysis.CompositionEffect partyA = outcome("tone").composition().stream()
        .filter(c -> c.attribute().equals("party") && c.value().equals("A")).findFirst().orElseThrow();
    assertThat(partyA.byMembers()).extracting(Analysis.MemberCount::members).containsExactly(0, 1, 2);
    for (int members = 0; members < 3; members++) {
      Summary s = partyA.byMembers().get(members).summary();
      assertThat(s.n()).isEqualTo((long) expected[members][0]);
      close(s.mean(), expected[members][1]);
      close(s.ciLow(), expected[members][2]);
      close(s.ciHigh(), expected[members][3]);
    }
    // age is a number and nickname a value of each entity's own: neither is a category.
    assertThat(outcome("tone").composition()).extracting(Analysis.CompositionEffect::attribute)
        .containsOnly("party", "region");
  }

  @Test
  void iccComesFromTheOneWayAnovaOfReplicatedGroups() {
    // F, p = stats.f_oneway(*groups); n0 = (N - sum n_i^2 / N) / (k - 1); ICC = (F - 1) / (F + n0 - 1);
    // mean squares written out in the script.
    Analysis.Icc icc = outcome("tone").icc();
    assertThat(icc).isNotNull();
    assertThat(icc.groups()).isEqualTo(10);
    assertThat(icc.observations()).isEqualTo(27);
    close(icc.meanSquareBetween(), 2.3609582304526753);
    close(icc.meanSquareWithin(), 1.0908970588235294);
    close(icc.f(), 2.164235581493669);
    close(icc.p(), 0.08144758740715176);
    close(icc.icc(), 0.30196013906290264);
  }

  @Test
  void perParticipantOutcomesAreSummarisedByEntityAndAttributeValue() {
    // each entity's stance: n, mean, std(ddof=1), stats.ttest_1samp(x, 0).confidence_interval(0.95)
    double[][] byEntity = {{10, 4.6, 2.170509412813294, 3.0473111020696777, 6.152688897930322},
        {11, 4.545454545454546, 2.1148823307047775, 3.12465726319168, 5.966251827717412},
        {11, 4.0, 2.04939015319192, 2.6232009612652916, 5.376799038734708},
        {10, 4.4, 1.837873166945363, 3.0852647377274582, 5.7147352622725425},
        {12, 3.9166666666666665, 2.151461800448216, 2.5496930552120687, 5.283640278121265}};
    OutcomeAnalysis stance = outcome("stance");
    assertThat(stance.byEntity()).extracting(Analysis.EntitySummary::entityId).containsExactly("a", "b", "c", "d", "e");
    for (int i = 0; i < byEntity.length; i++) {
      double[] x = byEntity[i];
      summary(stance.byEntity().get(i).summary(), (long) x[0], x[1], x[2], x[3], x[4]);
    }
    Map<String, Summary> byParty = stance.byAttribute().stream().filter(a -> a.attribute().equals("party"))
        .collect(Collectors.toMap(Analysis.AttributeSummary::value, Analysis.AttributeSummary::summary));
    summary(byParty.get("A"), 21, 4.571428571428571, 2.0873770280289223, 3.6212659399801574, 5.521591202876985);
    summary(byParty.get("B"), 33, 4.090909090909091, 1.9742662618621818, 3.3908647141489308, 4.790953467669251);
    assertThat(stance.entityEffects()).isEmpty();
  }

  @Test
  void enumAndEntityOutcomesAreCountedWithNamingRates() {
    assertThat(outcome("verdict").frequencies()).extracting(Analysis.Frequency::value, Analysis.Frequency::count)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("yes", 12L), org.assertj.core.groups.Tuple.tuple("no", 5L),
            org.assertj.core.groups.Tuple.tuple("undecided", 10L));
    close(outcome("verdict").frequencies().get(0).share(), 12.0 / 27);
    // named / appearances from the script: a 6/10, b 6/11, c 6/11, d 3/10, e 6/12
    assertThat(outcome("leader").namingRates()).extracting(Analysis.NamingRate::entityId, Analysis.NamingRate::named,
        Analysis.NamingRate::appearances).containsExactly(org.assertj.core.groups.Tuple.tuple("a", 6L, 10L),
        org.assertj.core.groups.Tuple.tuple("b", 6L, 11L), org.assertj.core.groups.Tuple.tuple("c", 6L, 11L),
        org.assertj.core.groups.Tuple.tuple("d", 3L, 10L), org.assertj.core.groups.Tuple.tuple("e", 6L, 12L));
    close(outcome("leader").namingRates().get(3).rate(), 0.3);
    assertThat(outcome("leader").frequencies().get(0).label()).isEqualTo("Aname");
  }

  @Test
  void flaggedSimulationsCountWhenAskedFor() {
    Analysis all = CohortAnalysis.analyze(cohort, "ref", AnalysisOptions.defaults().withIncludeFlagged(true));
    // n and numpy mean of tone over every completed simulation, the two flagged ones (their tone 100) included
    assertThat(all.excludedFlagged()).isZero();
    assertThat(all.analysed()).isEqualTo(29);
    assertThat(all.outcome("tone").orElseThrow().summary().n()).isEqualTo(29);
    close(all.outcome("tone").orElseThrow().summary().mean(), 9.471034482758622);
  }

  @Test
  void oneOutcomeCanBeAskedForByName() {
    Analysis one = CohortAnalysis.analyze(cohort, "ref", AnalysisOptions.defaults().withOutcome("agreed"));
    assertThat(one.outcomes()).extracting(OutcomeAnalysis::name).containsExactly("agreed");
    assertThatThrownBy(() -> CohortAnalysis.analyze(cohort, "ref", AnalysisOptions.defaults().withOutcome("mood")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("outcome")
        .hasMessageContaining("declares no outcome named \"mood\"")
        .hasMessageContaining("tone, agreed, stance, verdict, leader");
    assertThatThrownBy(() -> CohortAnalysis.analyze(cohort, "nope")).isInstanceOf(NotFoundException.class);
  }
}
