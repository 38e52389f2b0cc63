package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.ValidationException;
import org.junit.jupiter.api.Test;

class UriComponentsTest {
  @Test
  void pathSegmentsAreDecodedOneByOne() {
    assertThat(UriComponents.pathSegments("/api/entities/a%2Fb%20c")).containsExactly("api", "entities", "a/b c");
    assertThat(UriComponents.pathSegments("/api/entities/")).containsExactly("api", "entities");
    assertThat(UriComponents.pathSegments("/")).isEmpty();
    assertThat(UriComponents.pathSegments("/a//b")).containsExactly("a", "", "b");
  }

  @Test
  void plusIsASpaceOnlyInQueries() {
    assertThat(UriComponents.decode("a+b", true, "q")).isEqualTo("a b");
    assertThat(UriComponents.decode("a+b", false, "q")).isEqualTo("a+b");
  }

  @Test
  void multiByteCharactersDecode() {
    assertThat(UriComponents.decode("Zo%C3%AB%20%E2%98%83", false, "path")).isEqualTo("Zoë ☃");
    assertThat(UriComponents.decode("Zoë", false, "path")).isEqualTo("Zoë");
  }

  @Test
  void badEscapesAndNonUtf8BytesAreRefused() {
    assertThatThrownBy(() -> UriComponents.decode("%zz", false, "path"))
        .isInstanceOf(ValidationException.class).hasMessage("path: has a % that is not followed by two hex digits");
    assertThatThrownBy(() -> UriComponents.decode("abc%4", false, "path"))
        .hasMessage("path: has a % that is not followed by two hex digits");
    assertThatThrownBy(() -> UriComponents.decode("%C3%28", false, "path"))
        .hasMessage("path: is percent-encoded but not as UTF-8");
  }

  @Test
  void encodingASegmentRoundTrips() {
    String id = "a/b c?d#e%f☃";
    String encoded = UriComponents.encodeSegment(id);

    assertThat(encoded).doesNotContain("/", " ", "?", "#").isEqualTo("a%2Fb%20c%3Fd%23e%25f%E2%98%83");
    assertThat(UriComponents.decode(encoded, false, "path")).isEqualTo(id);
  }
}
