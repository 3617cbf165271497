package org.tuninglab.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.io.IdleTimeoutInputStream;
import org.tuninglab.tokenize.ChatMessage;

/**
 * A client for OpenAI-compatible endpoints ({@code POST /chat/completions}, {@code POST
 * /completions}, {@code GET /models}), as served by OpenAI, vLLM, Ollama, llama.cpp and {@code
 * ./tuninglab serve}.
 *
 * <p>{@link #chat(List, GenerationConfig)} makes one plain request; the variant with a listener
 * streams (server-sent events: {@code data:} lines, ended by {@code data: [DONE]}). Connection
 * failures, timeouts before the response begins, 429 and 5xx are retried with exponential backoff
 * (honouring {@code Retry-After}); other 4xx are not, nor is anything once a 200 response has
 * begun (a stream's deltas may already have reached the listener). Every failure is an {@link
 * EndpointException} naming the URL, what happened, the server's error message and the attempts.
 *
 * <p>Usage: a stream asks for {@code stream_options.include_usage}; an endpoint that does not
 * report usage leaves both token counts at -1. OpenAI's {@code "stop"} does not say whether an
 * end token or a stop string ended the reply: it reads as {@link FinishReason#STOP_TOKEN} unless
 * the endpoint names the stop string in vLLM's {@code stop_reason}.
 *
 * <p>Thread-safe: calls may run concurrently.
 */
public final class OpenAiChatModel implements ChatModel {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Waits between attempts; tests substitute one that records instead. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final OpenAiConfig config;
  private final HttpClient http;
  private final Backoff backoff;
  private final Sleeper sleeper;

  public OpenAiChatModel(OpenAiConfig config) {
    this(config, d -> Thread.sleep(d.toMillis()));
  }

  OpenAiChatModel(OpenAiConfig config, Sleeper sleeper) {
    this.config = Objects.requireNonNull(config, "config");
    this.sleeper = sleeper;
    this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(), config.jitterSeed());
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .build();
  }

  /** The client for {@code model} at {@code OPENAI_BASE_URL} with {@code OPENAI_API_KEY}. */
  public static OpenAiChatModel fromEnvironment(String model) {
    return new OpenAiChatModel(OpenAiConfig.fromEnvironment(model));
  }

  public OpenAiConfig config() {
    return config;
  }

  @Override
  public String name() {
    return config.model();
  }

  /** One request without streaming. */
  @Override
  public ChatReply chat(List<ChatMessage> messages, GenerationConfig generation) {
    return post("chat/completions", chatBody(messages, generation, false), false, delta -> {});
  }

  /** One streamed request: {@code onDelta} receives the content deltas as they arrive. */
  @Override
  public ChatReply chat(
      List<ChatMessage> messages, GenerationConfig generation, ReplyListener onDelta) {
    return post("chat/completions", chatBody(messages, generation, true), true, onDelta);
  }

  /** Continues plain text through {@code /completions}, without streaming. */
  public ChatReply complete(String prompt, GenerationConfig generation) {
    return post("completions", completionBody(prompt, generation, false), false, delta -> {});
  }

  /** Continues plain text through {@code /completions}, streaming to {@code onDelta}. */
  public ChatReply complete(String prompt, GenerationConfig generation, ReplyListener onDelta) {
    return post("completions", completionBody(prompt, generation, true), true, onDelta);
  }

  /** The ids {@code GET /models} lists. */
  public List<String> models() {
    return call("GET", config.resolve("models"), null, (in, attempts) -> {
      JsonNode root = parse(readAll(in), "GET " + config.resolve("models"), attempts);
      List<String> ids = new ArrayList<>();
      for (JsonNode m : root.path("data")) {
        ids.add(m.path("id").asText());
      }
      return ids;
    });
  }

  private ObjectNode chatBody(List<ChatMessage> messages, GenerationConfig g, boolean stream) {
    ObjectNode body = common(g, stream);
    ArrayNode list = body.putArray("messages");
    for (ChatMessage m : messages) {
      list.addObject().put("role", m.role()).put("content", m.content());
    }
    return body;
  }

  private ObjectNode completionBody(String prompt, GenerationConfig g, boolean stream) {
    ObjectNode body = common(g, stream);
    body.put("prompt", prompt);
    return body;
  }

  private ObjectNode common(GenerationConfig g, boolean stream) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", config.model());
    body.put("max_tokens", g.maxNewTokens());
    body.put("temperature", g.temperature());
    body.put("top_p", g.topP());
    body.put("seed", g.seed());
    if (g.topK() > 0) {
      body.put("top_k", g.topK()); // vLLM's extension; OpenAI itself rejects it
    }
    if (!g.stopStrings().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      g.stopStrings().forEach(stop::add);
    }
    if (!g.stopTokenIds().isEmpty()) {
      ArrayNode ids = body.putArray("stop_token_ids"); // vLLM's extension
      g.stopTokenIds().stream().sorted().forEach(ids::add);
    }
    body.put("stream", stream);
    if (stream) {
      body.putObject("stream_options").put("include_usage", true);
    }
    return body;
  }

  private ChatReply post(String path, ObjectNode body, boolean stream, ReplyListener onDelta) {
    URI uri = config.resolve(path);
    boolean chat = path.startsWith("chat");
    return call("POST", uri, body, (in, attempts) ->
        stream
            ? readStream(in, uri, chat, onDelta, attempts)
            : readReply(readAll(in), uri, chat, attempts));
  }

  /** Reads a 200 response's body; runs at most once per call. */
  private interface BodyReader<T> {
    T read(InputStream in, int attempts) throws IOException;
  }

  private <T> T call(String method, URI uri, ObjectNode body, BodyReader<T> reader) {
    String what = method + " " + uri + " (model '" + config.model() + "')";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(config.requestTimeout());
    if (config.apiKey() != null) {
      request.header("Authorization", "Bearer " + config.apiKey());
    }
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json");
      request.POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }
    HttpRequest built = request.build();
    int max = config.maxAttempts();
    String lastProblem = null;
    Exception lastCause = null;
    for (int attempt = 1; ; attempt++) {
      Duration retryAfter = null;
      try {
        HttpResponse<InputStream> response =
            http.send(built, HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status == 200) {
          return readWithDeadline(response.body(), what, attempt, reader);
        }
        String text = readErrorBody(response.body());
        String[] error = errorDetails(text);
        boolean retryable = status == 429 || status >= 500;
        String problem = "HTTP " + status + ": " + error[0] + details(error);
        if (!retryable || attempt == max) {
          throw new EndpointException(
              what + ": " + problem + "; " + outcome(retryable, attempt), status, attempt,
              error[1], error[2], null);
        }
        lastProblem = problem;
        retryAfter = retryAfter(response);
      } catch (HttpConnectTimeoutException e) {
        lastProblem =
            "no connection within " + seconds(config.connectTimeout()) + " (connect timeout)";
        lastCause = e;
      } catch (HttpTimeoutException e) {
        lastProblem =
            "no response within " + seconds(config.requestTimeout()) + " (request timeout)";
        lastCause = e;
      } catch (ConnectException e) {
        lastProblem = "cannot connect (" + (e.getMessage() == null ? e : e.getMessage()) + ")";
        lastCause = e;
      } catch (EndpointException e) {
        throw e;
      } catch (IOException e) {
        lastProblem = "the connection failed (" + e + ")";
        lastCause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EndpointException(what + ": interrupted", 0, attempt, null, null, e);
      }
      if (attempt == max) {
        throw new EndpointException(
            what + ": " + lastProblem + "; " + outcome(true, attempt), 0, attempt, null, null,
            lastCause);
      }
      try {
        sleeper.sleep(backoff.delay(attempt, retryAfter));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EndpointException(
            what + ": interrupted while waiting to retry after " + lastProblem, 0, attempt, null,
            null, e);
      }
    }
  }

  private <T> T readWithDeadline(InputStream body, String what, int attempt, BodyReader<T> reader) {
    try (IdleTimeoutInputStream in = new IdleTimeoutInputStream(body, config.readTimeout(), what)) {
      T result;
      try {
        result = reader.read(in, attempt);
      } catch (IOException | EndpointException e) {
        // A body cut by the watchdog reads as an early end or as broken JSON: say why it was cut.
        if (in.timedOut()) {
          throw silent(what, attempt, e);
        }
        if (e instanceof EndpointException endpoint) {
          throw endpoint;
        }
        throw new EndpointException(
            what + ": reading the response failed (" + e.getMessage() + "); not retried since the"
                + " reply had begun (" + attemptText(attempt) + ")", 200, attempt, null, null, e);
      }
      if (in.timedOut()) {
        throw silent(what, attempt, null);
      }
      return result;
    } catch (IOException e) {
      throw new EndpointException(
          what + ": closing the response failed (" + e + ")", 200, attempt, null, null, e);
    }
  }

  private EndpointException silent(String what, int attempt, Exception cause) {
    return new EndpointException(
        what + ": the response went silent for " + seconds(config.readTimeout())
            + " (read timeout); not retried since the reply had begun (" + attemptText(attempt)
            + ")", 200, attempt, null, null, cause);
  }

  private ChatReply readReply(String text, URI uri, boolean chat, int attempts) {
    String what = "POST " + uri + " (model '" + config.model() + "')";
    JsonNode root = parse(text, what, attempts);
    JsonNode choice = root.path("choices").path(0);
    if (!choice.isObject()) {
      throw new EndpointException(
          what + ": the response has no choices[0]: " + excerpt(text), 200, attempts, null, null,
          null);
    }
    JsonNode content = chat ? choice.path("message").path("content") : choice.path("text");
    JsonNode usage = root.path("usage");
    return new ChatReply(
        content.isTextual() ? content.asText() : "",
        finishReason(choice),
        usage.path("prompt_tokens").asInt(-1),
        usage.path("completion_tokens").asInt(-1));
  }

  private ChatReply readStream(
      InputStream in, URI uri, boolean chat, ReplyListener onDelta, int attempts)
      throws IOException {
    String what = "POST " + uri + " (model '" + config.model() + "')";
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    StringBuilder text = new StringBuilder();
    FinishReason reason = null;
    int promptTokens = -1;
    int completionTokens = -1;
    int chunks = 0;
    boolean done = false;
    String line;
    // Each data line is one event: OpenAI-compatible servers never split an event over lines.
    while (!done && (line = lines.readLine()) != null) {
      if (!line.startsWith("data:")) {
        continue; // blank separators, comments, event names
      }
      String data = line.substring(5).strip();
      if (data.equals("[DONE]")) {
        done = true;
        continue;
      }
      JsonNode event = parse(data, what, attempts);
      chunks++;
      if (event.has("error")) {
        String[] error = errorDetails(data);
        throw new EndpointException(
            what + ": the server reported an error mid-stream after " + text.length()
                + " characters: " + error[0] + details(error) + "; not retried ("
                + attemptText(attempts) + ")", 200, attempts, error[1], error[2], null);
      }
      JsonNode choice = event.path("choices").path(0);
      if (choice.isObject()) {
        JsonNode delta = chat ? choice.path("delta").path("content") : choice.path("text");
        if (delta.isTextual() && !delta.asText().isEmpty()) {
          text.append(delta.asText());
          onDelta.onDelta(delta.asText());
        }
        if (choice.path("finish_reason").isTextual()) {
          reason = finishReason(choice);
        }
      }
      JsonNode usage = event.path("usage");
      if (usage.isObject()) {
        promptTokens = usage.path("prompt_tokens").asInt(-1);
        completionTokens = usage.path("completion_tokens").asInt(-1);
      }
    }
    if (!done && reason == null) {
      throw new IOException("the stream ended after " + chunks + " events without a finish_reason"
          + " or data: [DONE]");
    }
    return new ChatReply(
        text.toString(), reason == null ? FinishReason.STOP_TOKEN : reason, promptTokens,
        completionTokens);
  }

  private static FinishReason finishReason(JsonNode choice) {
    String reason = choice.path("finish_reason").asText("");
    if (reason.equals("length")) {
      return FinishReason.LENGTH;
    }
    return choice.path("stop_reason").isTextual()
        ? FinishReason.STOP_STRING
        : FinishReason.STOP_TOKEN;
  }

  private static JsonNode parse(String text, String what, int attempts) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new EndpointException(
          what + ": the response is not JSON (" + e.getOriginalMessage() + "): " + excerpt(text),
          200, attempts, null, null, e);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** An error body, cut at 64 KiB so that a misbehaving server cannot flood the message. */
  private static String readErrorBody(InputStream in) throws IOException {
    try (in) {
      return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
  }

  /**
   * The server's message, type and code from an OpenAI-style error body ({@code {"error": {...}}}),
   * or from the shapes other servers use ({@code {"error": "..."}}, FastAPI's {@code detail}).
   */
  static String[] errorDetails(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode error = root == null ? null : root.get("error");
      if (error != null && error.isObject()) {
        return new String[] {
          error.path("message").asText("(no message)"), text(error.get("type")),
          text(error.get("code"))
        };
      }
      if (error != null && error.isTextual()) {
        return new String[] {error.asText(), null, null};
      }
      for (String field : List.of("message", "detail")) {
        if (root != null && root.has(field)) {
          JsonNode n = root.get(field);
          return new String[] {n.isTextual() ? n.asText() : n.toString(), null, null};
        }
      }
    } catch (JsonProcessingException e) {
      // not JSON: quote it
    }
    return new String[] {body.isBlank() ? "(empty body)" : excerpt(body), null, null};
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static String details(String[] error) {
    if (error[1] == null && error[2] == null) {
      return "";
    }
    return " (type " + error[1] + ", code " + error[2] + ")";
  }

  private String outcome(boolean retryable, int attempt) {
    return retryable
        ? "gave up after " + attempt + (attempt == 1 ? " attempt" : " attempts")
        : "not retried (" + attemptText(attempt) + ")";
  }

  private String attemptText(int attempt) {
    return "attempt " + attempt + " of " + config.maxAttempts();
  }

  /** {@code retry-after-ms}, else {@code Retry-After} in seconds or as an HTTP date; else null. */
  static Duration retryAfter(HttpResponse<?> response) {
    var headers = response.headers();
    try {
      var ms = headers.firstValue("retry-after-ms");
      if (ms.isPresent()) {
        return Duration.ofMillis((long) Double.parseDouble(ms.get().strip()));
      }
      var value = headers.firstValue("retry-after");
      if (value.isEmpty()) {
        return null;
      }
      String v = value.get().strip();
      if (v.matches("\\d+(\\.\\d+)?")) {
        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
      }
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(Instant.now(), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (NumberFormatException | DateTimeParseException e) {
      return null; // a malformed header: fall back to our own backoff
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static String excerpt(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }

  /** Holds nothing to free: the HTTP client's connections close when unused. */
  @Override
  public void close() {}
}
