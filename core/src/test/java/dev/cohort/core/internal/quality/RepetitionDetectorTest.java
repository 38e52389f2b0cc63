package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepetitionDetectorTest {

  @Test
  void flagsATurnThatRepeatsAnEarlierOneWithSmallChanges() {
    assertThat(RepetitionDetector.flags(Turns.of(
        "We have to act now, because every year we wait the seawall gets more expensive and the floods get worse.",
        "I understand, but the farmers cannot pay another levy this year.",
        "Honestly, we have to act now, because every year we wait the seawall gets more expensive and the floods"
            + " get worse for everyone."))).isTrue();
  }

  @Test
  void flagsAShortTurnContainedInALongerOne() {
    assertThat(RepetitionDetector.flags(Turns.of(
        "The council must publish the flood maps before any vote.",
        "Fine. The council must publish the flood maps before any vote, and then we talk about money, schools,"
            + " roads and everything else on the agenda."))).isTrue();
  }

  @Test
  void leavesTurnsThatShareOnlyCommonPhrases() {
    assertThat(RepetitionDetector.flags(Turns.of(
        "I think that we should fund the seawall first, then the schools.",
        "I think that the schools matter more than any wall, to be honest.",
        "I think that both of you forget the farmers who feed this town.",
        "I agree.",
        "I agree."))).isFalse();
  }

  @Test
  void overlapIsTheSharedShareOfTheSmallerSet() {
    assertThat(RepetitionDetector.overlap(
        RepetitionDetector.trigrams("one two three four five"),
        RepetitionDetector.trigrams("one two three four five six seven"))).isEqualTo(1.0);
    assertThat(RepetitionDetector.overlap(
        RepetitionDetector.trigrams("one two three four five"),
        RepetitionDetector.trigrams("six seven eight nine ten"))).isZero();
  }
}
