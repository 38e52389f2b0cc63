package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DuplicateTranscriptsTest {
  private static final String[] VOCABULARY = ("seawall council farmers levy floods schools river harbour budget"
      + " storm vote maps insurance fishermen tourism drought wind solar bakery mayor teachers children coast"
      + " pension bridge ferry market tax rain summer winter harvest debt loan protest petition").split(" ");

  @Test
  void marksTheNearIdenticalTranscriptsAndNoOthers() {
    DuplicateTranscripts finder = DuplicateTranscripts.create();
    List<Turn> original = Turns.of(
        "We have to act now, because every year we wait the seawall gets more expensive and the floods get worse.",
        "I understand, but the farmers cannot pay another levy this year, not after the drought took half the"
            + " harvest and the bank called in the loans.",
        "Then let the state pay for it; the coast protects the whole region, not just our town.",
        "The state will say what it always says: that we should have planned for this twenty years ago, and that"
            + " the money went to the motorway instead.",
        "So we go to the capital together, farmers and fishermen and teachers, and we make them listen for once.",
        "Fine, but we bring the flood maps, the insurance letters and the photos of the harbour from last winter.");
    // Another group's transcript: other capitals and punctuation, and one word different.
    List<Turn> sameWithOneWordChanged = Turns.of(
        "We have to act NOW -- because every year we wait, the seawall gets more expensive and the floods get worse!",
        "I understand. But the farmers cannot pay another levy this year, not after the drought took half the"
            + " harvest and the bank called in the debts.",
        "Then let the state pay for it: the coast protects the whole region, not just our town.",
        "The state will say what it always says: that we should have planned for this twenty years ago, and that"
            + " the money went to the motorway instead.",
        "So we go to the capital together, farmers and fishermen and teachers, and we make them listen for once.",
        "Fine, but we bring the flood maps, the insurance letters and the photos of the harbour from last winter.");
    finder.add("s1", original);
    finder.add("s2", Turns.of(
        "Tourism is what keeps this harbour alive, and the ferries bring the visitors every summer.",
        "The fishermen were here long before the tourists, and they will be here after them."));
    finder.add("s3", sameWithOneWordChanged);
    finder.add("s4", Turns.of("Honestly, the schools need the money more than a wall: our teachers buy chalk"
        + " with their own pay."));

    assertThat(finder.duplicates()).containsExactlyInAnyOrder("s1", "s3");
  }

  @Test
  void leavesTranscriptsOnTheSameTopicThatSayDifferentThings() {
    DuplicateTranscripts finder = DuplicateTranscripts.create();
    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      finder.add("s" + i, Turns.of(randomText(random, 120), randomText(random, 120)));
    }
    assertThat(finder.duplicates()).isEmpty();
  }

  @Test
  void findsEveryCopyInALargeClusterOfIdenticalTranscripts() {
    DuplicateTranscripts finder = DuplicateTranscripts.create();
    Random random = new Random(11);
    List<Turn> copied = Turns.of(randomText(random, 200));
    List<String> copies = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      if (i % 10 == 0) {
        finder.add("copy" + i, copied);
        copies.add("copy" + i);
      } else {
        finder.add("s" + i, Turns.of(randomText(random, 200)));
      }
    }
    assertThat(finder.duplicates()).containsExactlyInAnyOrderElementsOf(copies);
    // 200 identical transcripts pairwise would be 19,900 checks per band; bucketing caps them.
    assertThat(finder.checks()).isLessThanOrEqualTo(
        (long) finder.size() * DuplicateTranscripts.BANDS * DuplicateTranscripts.MAX_CHECKS);
    assertThat(finder.checks()).isLessThan(200L * 199 / 2);
  }

  @Test
  void comparesFarFewerPairsThanPairwiseOnALargeBatch() {
    DuplicateTranscripts finder = DuplicateTranscripts.create();
    Random random = new Random(3);
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      finder.add("s" + i, Turns.of(randomText(random, 60)));
    }
    assertThat(finder.duplicates()).isEmpty();
    assertThat(finder.checks()).as("candidate checks for %d distinct transcripts", n)
        .isLessThan((long) n * DuplicateTranscripts.BANDS);
  }

  @Test
  void leavesOutTranscriptsWithoutWords() {
    DuplicateTranscripts finder = DuplicateTranscripts.create();
    finder.add("s1", Turns.of("..."));
    finder.add("s2", Turns.of("..."));
    assertThat(finder.size()).isZero();
    assertThat(finder.duplicates()).isEmpty();
  }

  static String randomText(Random random, int words) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words; i++) {
      text.append(VOCABULARY[random.nextInt(VOCABULARY.length)]).append(' ');
    }
    return text.toString();
  }

  @Test
  void theEarlyStoppingComparisonAgreesWithTheShareOfEqualValues() {
    assertThat(DuplicateTranscripts.MIN_EQUAL).isEqualTo(52);
    Random random = new Random(7);
    DuplicateTranscripts finder = DuplicateTranscripts.create();
    String[] base = new String[60];
    for (int w = 0; w < base.length; w++) {
      base[w] = VOCABULARY[random.nextInt(VOCABULARY.length)];
    }
    // Copies with 0 to 11 words changed: similarities from 1 down past the threshold.
    for (int i = 0; i < 200; i++) {
      String[] words = base.clone();
      int changes = random.nextInt(12);
      for (int c = 0; c < changes; c++) {
        words[random.nextInt(words.length)] = "other" + random.nextInt(1000);
      }
      finder.add("s" + i, Turns.of(String.join(" ", words)));
    }
    int above = 0;
    int below = 0;
    for (int a = 0; a < finder.size(); a++) {
      for (int b = 0; b < a; b++) {
        boolean expected = finder.similarity(a, b) >= DuplicateTranscripts.THRESHOLD;
        assertThat(finder.similar(a, b)).as("%d and %d", a, b).isEqualTo(expected);
        if (expected) {
          above++;
        } else {
          below++;
        }
      }
    }
    assertThat(above).as("pairs at or above the threshold").isGreaterThan(200);
    assertThat(below).as("pairs below it").isGreaterThan(1_000);
  }
}
