package dev.cohort.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConversationPromptLinesTest {

  @Test
  void linesSplitAtLineFeedsAndCarriageReturnLineFeedsKeepingEmptyLines() {
    assertThat(ConversationPrompt.lines("a\nb\r\n\nc\r\n")).containsExactly("a", "b", "", "c", "");
  }

  @Test
  void linesKeepALoneCarriageReturnAndATextWithoutBreaksWhole() {
    assertThat(ConversationPrompt.lines("a\rb")).containsExactly("a\rb");
    assertThat(ConversationPrompt.lines("")).containsExactly("");
    assertThat(ConversationPrompt.lines("end\r")).containsExactly("end\r");
  }
}
