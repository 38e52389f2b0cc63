package dev.cohort.core.internal.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonStringArrayTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void writesWhatJacksonWritesForHandPickedNames() throws Exception {
    List<List<String>> cases = List.of(List.of(), List.of("Ada"), List.of("Ada", "Grace Hopper"),
        List.of("say \"hi\"", "back\\slash", "tab\there", "line\nfeed", "\b\f\r\u0000\u001f\u007f"),
        List.of("Zoë", "名前", "emoji \uD83D\uDE00", "lone \uD800 surrogate", "\u2028\u2029", "</script>", ""));
    for (List<String> names : cases) {
      assertThat(JsonStringArray.of(names)).isEqualTo(JACKSON.writeValueAsString(names));
    }
  }

  @Test
  void writesWhatJacksonWritesForRandomStrings() throws Exception {
    Random random = new Random(21);
    String alphabet = "abcXYZ \"\\/'\t\n\r\b\f\u0000\u0001\u001e\u001f\u0020\u007f\u0080é€\uD83D\uDE00\uDFFF";
    for (int n = 0; n < 5_000; n++) {
      List<String> names = new ArrayList<>();
      int count = random.nextInt(4);
      for (int k = 0; k < count; k++) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
          s.append(random.nextInt(8) == 0 ? (char) random.nextInt(0x10000) : alphabet.charAt(random.nextInt(alphabet.length())));
        }
        names.add(s.toString());
      }
      assertThat(JsonStringArray.of(names)).as("names %s", names).isEqualTo(JACKSON.writeValueAsString(names));
    }
  }
}
