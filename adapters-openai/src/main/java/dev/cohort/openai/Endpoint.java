package dev.cohort.openai;

import dev.cohort.core.batch.ValidationException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where calls go and how the key is sent: OpenAI and compatible servers take {@code
 * {base}/chat/completions} with a bearer token; Azure OpenAI takes {@code
 * {resource}/openai/deployments/{deployment}/chat/completions?api-version=…} with an {@code
 * api-key} header.
 *
 * @param uri the chat completions URL
 * @param azure whether the key goes in an {@code api-key} header instead of a bearer token
 * @param site the base URL without credentials or query, for messages
 */
record Endpoint(URI uri, boolean azure, String site) {
  private static final Pattern DEPLOYMENT = Pattern.compile("[A-Za-z0-9._-]+");

  /** The endpoint of an OpenAI-compatible server with base URL {@code base}. */
  static Endpoint openAi(URI base) {
    String root = withoutTrailingSlash(base.toString());
    return new Endpoint(URI.create(root + "/chat/completions"), false, site(base));
  }

  /** The endpoint of an Azure OpenAI deployment. */
  static Endpoint azure(URI resource, String deployment, String apiVersion) {
    String root = withoutTrailingSlash(resource.toString());
    URI uri = URI.create(root + "/openai/deployments/" + deployment + "/chat/completions?api-version="
        + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8));
    return new Endpoint(uri, true, site(resource));
  }

  /**
   * Checks a base URL.
   *
   * @param field the setting's name for the error
   * @throws ValidationException when it is not an absolute http or https URL
   */
  static URI checkBaseUrl(String field, String url) {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new ValidationException(field, "is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new ValidationException(field, "must be an absolute http or https URL, was '" + site(uri) + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ValidationException(field, "must not have a query or fragment, was '" + site(uri) + "'");
    }
    return uri;
  }

  /**
   * Checks an Azure deployment name.
   *
   * @throws ValidationException when it is blank or has characters a deployment name cannot have
   */
  static String checkDeployment(String deployment) {
    if (!DEPLOYMENT.matcher(deployment).matches()) {
      throw new ValidationException(
          "azureDeployment", "must be letters, digits, '.', '_' or '-', was '" + deployment + "'");
    }
    return deployment;
  }

  /** Whether calls go to OpenAI's own API, which needs a key. */
  boolean isOpenAiCloud() {
    return !azure && "api.openai.com".equalsIgnoreCase(uri.getHost());
  }

  private static String withoutTrailingSlash(String url) {
    String trimmed = url;
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }

  /** Scheme, host, port and path only: user info and query may carry secrets. */
  private static String site(URI uri) {
    @Nullable String scheme = uri.getScheme();
    @Nullable String host = uri.getHost();
    if (scheme == null || host == null) {
      return "(not a URL)";
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "" : withoutTrailingSlash(uri.getRawPath());
    return scheme + "://" + host + port + path;
  }
}
