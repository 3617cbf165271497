package org.tuninglab.chat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how {@link OpenAiChatModel} calls an OpenAI-compatible endpoint.
 *
 * @param baseUrl the API root, ending before {@code /chat/completions} (e.g. {@code
 *     http://127.0.0.1:8000/v1}, {@code https://api.openai.com/v1})
 * @param apiKey sent as {@code Authorization: Bearer ...}; null sends no header
 * @param model the model name sent with every request
 * @param connectTimeout how long to wait for a TCP connection
 * @param requestTimeout how long to wait for the response to begin (its status and headers)
 * @param readTimeout how long a response body (a stream especially) may stay silent
 * @param maxAttempts attempts per call, first included (1: no retries)
 * @param initialBackoff the wait before the second attempt; it doubles for each further one
 * @param maxBackoff the longest wait between attempts, a server's {@code Retry-After} included
 * @param jitterSeed seeds the random part of the waits, so a run's timing is reproducible
 */
public record OpenAiConfig(
    URI baseUrl,
    String apiKey,
    String model,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration readTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    long jitterSeed) {
  /** The environment variable the OpenAI SDKs read for the API root. */
  public static final String BASE_URL_ENV = "OPENAI_BASE_URL";
  /** The environment variable the OpenAI SDKs read for the key. */
  public static final String API_KEY_ENV = "OPENAI_API_KEY";
  /** The API root when neither the builder nor the environment names one. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  public OpenAiConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    String scheme = baseUrl.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "baseUrl must be an http(s) URL such as http://127.0.0.1:8000/v1, got '" + baseUrl + "'");
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("requestTimeout", requestTimeout);
    requirePositive("readTimeout", readTimeout);
    requirePositive("initialBackoff", initialBackoff);
    requirePositive("maxBackoff", maxBackoff);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
  }

  private static void requirePositive(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, got " + d);
    }
  }

  /** The settings for {@code model} with the base URL and key from the process environment. */
  public static OpenAiConfig fromEnvironment(String model) {
    return builder().setModel(model).optEnvironment(System.getenv()).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The URL of an endpoint under the base URL, e.g. {@code resolve("chat/completions")}. */
  public URI resolve(String path) {
    String base = baseUrl.toString();
    return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
  }

  /** Like the record's, with the key masked. */
  @Override
  public String toString() {
    return "OpenAiConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
        + ", model=" + model + ", connectTimeout=" + connectTimeout + ", requestTimeout="
        + requestTimeout + ", readTimeout=" + readTimeout + ", maxAttempts=" + maxAttempts
        + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", jitterSeed="
        + jitterSeed + "]";
  }

  /**
   * Builds an {@link OpenAiConfig}: {@code setModel} required. Defaults: {@value
   * #DEFAULT_BASE_URL}, no key, connect 10 s, request 10 min, read 60 s, 3 attempts, backoff
   * 0.5 s doubling up to 20 s, jitter seed 0.
   */
  public static final class Builder {
    private URI baseUrl = URI.create(DEFAULT_BASE_URL);
    private String apiKey;
    private String model;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofMinutes(10);
    private Duration readTimeout = Duration.ofSeconds(60);
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(20);
    private long jitterSeed;

    public Builder setModel(String value) {
      model = value;
      return this;
    }

    public Builder optBaseUrl(String value) {
      baseUrl = URI.create(value);
      return this;
    }

    public Builder optApiKey(String value) {
      apiKey = value;
      return this;
    }

    /** Takes {@value #BASE_URL_ENV} and {@value #API_KEY_ENV} from {@code env} where set. */
    public Builder optEnvironment(Map<String, String> env) {
      String url = env.get(BASE_URL_ENV);
      if (url != null && !url.isBlank()) {
        baseUrl = URI.create(url.strip());
      }
      String key = env.get(API_KEY_ENV);
      if (key != null && !key.isBlank()) {
        apiKey = key.strip();
      }
      return this;
    }

    public Builder optConnectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    public Builder optRequestTimeout(Duration value) {
      requestTimeout = value;
      return this;
    }

    public Builder optReadTimeout(Duration value) {
      readTimeout = value;
      return this;
    }

    public Builder optMaxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder optInitialBackoff(Duration value) {
      initialBackoff = value;
      return this;
    }

    public Builder optMaxBackoff(Duration value) {
      maxBackoff = value;
      return this;
    }

    public Builder optJitterSeed(long value) {
      jitterSeed = value;
      return this;
    }

    public OpenAiConfig build() {
      return new OpenAiConfig(baseUrl, apiKey, model, connectTimeout, requestTimeout, readTimeout,
          maxAttempts, initialBackoff, maxBackoff, jitterSeed);
    }
  }
}
