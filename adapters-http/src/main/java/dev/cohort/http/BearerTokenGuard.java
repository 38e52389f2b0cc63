package dev.cohort.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>} carrying the configured
 * token. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the
 * same time whatever the input, so timing reveals neither the token nor its length. The token is
 * never logged and never appears in {@link #toString()}.
 */
final class BearerTokenGuard implements Router.Guard {
  private static final String SCHEME = "bearer ";

  private final byte[] expectedDigest;

  BearerTokenGuard(String token) {
    this.expectedDigest = digest(token);
  }

  @Override
  public void check(ApiExchange exchange) {
    List<String> values = exchange.headers("Authorization");
    if (values.isEmpty()) {
      throw ApiException.unauthorized("a bearer token is required: send the header Authorization: Bearer <token>");
    }
    String value = values.get(0);
    boolean bearer = values.size() == 1
        && value.length() > SCHEME.length()
        && value.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME);
    if (!bearer || !MessageDigest.isEqual(expectedDigest, digest(value.substring(SCHEME.length()).trim()))) {
      throw ApiException.unauthorized("the bearer token is not valid");
    }
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "BearerTokenGuard[token=****]";
  }
}
