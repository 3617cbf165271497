package org.tuninglab.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tuninglab.chat.ChatModelException;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;

/**
 * An OpenAI-compatible HTTP server for one {@link LocalChatModel}: {@code POST
 * /v1/chat/completions}, {@code POST /v1/completions} (both with {@code stream}), {@code GET
 * /v1/models} and {@code GET /health}, on the JDK's {@code com.sun.net.httpserver}.
 *
 * <p>Requests are parsed, checked and tokenised on a pool of handler threads; then they wait in
 * one FIFO queue for the single worker thread that owns the model (see {@link GenerationQueue}).
 * Nothing is dropped: requests beyond the handler threads wait in the handler pool's queue, jobs
 * beyond the worker wait in the generation queue, both unbounded and in arrival order. A streamed request gets its headers at once
 * and a {@code : queued} comment every few seconds while it waits, so clients' read timeouts
 * measure the server's silence, not the queue. A streaming client that disconnects frees the
 * model at its next token.
 *
 * <p>Errors are OpenAI's JSON {@code {"error": {"message", "type", "param", "code"}}}: 400 for a
 * malformed body or a bad field (named in {@code param}), 401 for a missing or wrong API key, 404
 * for an unknown model or path, 405 for a wrong method, 413 for a body over 16 MiB, 500 when the
 * model fails.
 */
public final class ChatServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 16 << 20;
  private static final long KEEP_ALIVE_MILLIS = 5_000;
  private static final Map<String, String> ROUTES =
      Map.of(
          "/v1/chat/completions", "POST",
          "/v1/completions", "POST",
          "/v1/models", "GET",
          "/health", "GET");

  private final LocalChatModel model;
  private final String servedName;
  private final byte[] apiKey;
  private final String host;
  private final int requestedPort;
  private final int handlerThreads;
  private final int defaultMaxTokens;
  private final long created = System.currentTimeMillis() / 1000;
  private final SplittableRandom seeds = new SplittableRandom();
  private final Object encodeLock = new Object();
  private HttpServer server;
  private ExecutorService handlers;
  private GenerationQueue queue;
  private boolean closed;

  private ChatServer(Builder b) {
    this.model = b.model;
    this.servedName = b.servedName == null ? b.model.name() : b.servedName;
    this.apiKey = b.apiKey == null ? null : b.apiKey.getBytes(StandardCharsets.UTF_8);
    this.host = b.host;
    this.requestedPort = b.port;
    this.handlerThreads = b.handlerThreads;
    this.defaultMaxTokens = b.defaultMaxTokens;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts answering.
   *
   * @throws IOException if the address cannot be bound (the port is taken, the host unknown)
   */
  public synchronized ChatServer start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
    } catch (IOException e) {
      throw new IOException(
          "cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
    }
    AtomicInteger count = new AtomicInteger();
    ThreadFactory named =
        r -> {
          Thread t = new Thread(r, "tuninglab-serve-http-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    handlers = Executors.newFixedThreadPool(handlerThreads, named);
    queue = new GenerationQueue(model);
    http.setExecutor(handlers);
    http.createContext("/", this::handle);
    http.start();
    server = http;
    return this;
  }

  /** The port bound (the one picked when port 0 was asked for). */
  public int port() {
    requireStarted();
    return server.getAddress().getPort();
  }

  /** The API root clients take as their base URL, e.g. {@code http://127.0.0.1:8000/v1}. */
  public String url() {
    requireStarted();
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port() + "/v1";
  }

  /** The model name requests must give. */
  public String servedName() {
    return servedName;
  }

  /** Requests waiting for the model, not counting the one being answered. */
  public int queued() {
    requireStarted();
    return queue.waiting();
  }

  private void requireStarted() {
    if (server == null) {
      throw new IllegalStateException("the server is not started");
    }
  }

  /**
   * Stops accepting, ends the worker after its current token (waiting requests get an error), and
   * releases the port. The model stays open: its owner closes it.
   */
  @Override
  public synchronized void close() {
    if (server == null || closed) {
      return;
    }
    closed = true;
    server.stop(0);
    queue.close();
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (ApiException e) {
        sendJson(exchange, e.status(), e.toJson(JSON));
      } catch (RuntimeException e) {
        sendJson(
            exchange, 500,
            new ApiException(500, "internal error: " + e, "server_error", null, null).toJson(JSON));
      }
    } catch (IOException e) {
      // The client left; nothing to answer.
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    String allowed = ROUTES.get(path);
    if (allowed == null) {
      throw new ApiException(
          404, "unknown path: " + method + " " + path + "; this server answers "
              + "POST /v1/chat/completions, POST /v1/completions, GET /v1/models",
          "invalid_request_error", null, "unknown_url");
    }
    if (!allowed.equals(method)) {
      exchange.getResponseHeaders().set("Allow", allowed);
      throw new ApiException(
          405, method + " is not allowed on " + path + "; use " + allowed,
          "invalid_request_error", null, "method_not_allowed");
    }
    if (path.equals("/health")) {
      sendJson(exchange, 200, JSON.createObjectNode().put("status", "ok"));
      return;
    }
    authorize(exchange);
    if (path.equals("/v1/models")) {
      sendJson(exchange, 200, models());
      return;
    }
    boolean chat = path.equals("/v1/chat/completions");
    CompletionRequest request = CompletionRequest.parse(readBody(exchange), chat, seeds::nextLong);
    if (!request.model().equals(servedName)) {
      throw new ApiException(
          404, "the model '" + request.model() + "' does not exist; this server serves '"
              + servedName + "'", "invalid_request_error", "model", "model_not_found");
    }
    int[] prompt = encode(request);
    GenerationConfig config =
        request.config().toBuilder().optMaxNewTokens(maxTokens(request, prompt.length)).build();
    GenerationQueue.Job job = queue.submit(prompt, config);
    try {
      if (request.stream()) {
        stream(exchange, request, job);
      } else {
        answer(exchange, request, job);
      }
    } finally {
      job.cancelled = true; // if still queued or running, nobody is waiting any more
    }
  }

  private void authorize(HttpExchange exchange) {
    if (apiKey == null) {
      return;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401, "no API key: send 'Authorization: Bearer <key>'", "invalid_request_error", null,
          "missing_api_key");
    }
    byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, apiKey)) { // constant time: no hints by timing
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401, "incorrect API key", "invalid_request_error", null, "invalid_api_key");
    }
  }

  private JsonNode readBody(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new ApiException(
          413, "the request body is over " + (MAX_BODY_BYTES >> 20) + " MiB",
          "invalid_request_error", null, "request_too_large");
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.invalid(
          null, "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
    }
  }

  private int[] encode(CompletionRequest request) {
    if (request.chat() && !model.hasChatTemplate()) {
      throw ApiException.invalid(
          "messages", "the model '" + servedName + "' has no chat template; use /v1/completions"
              + " with a prompt");
    }
    // Templates and tokenizers are not documented as thread-safe: encode one request at a time.
    synchronized (encodeLock) {
      try {
        return request.chat()
            ? model.chatPrompt(request.messages())
            : model.textPrompt(request.prompt());
      } catch (RuntimeException e) {
        throw ApiException.invalid(
            request.chat() ? "messages" : "prompt",
            "cannot render the prompt: " + e.getMessage());
      }
    }
  }

  /** The requested length, or the default; prompt plus completion must fit the context. */
  private int maxTokens(CompletionRequest request, int promptTokens) {
    int context = model.maxContextTokens();
    String param = request.chat() ? "messages" : "prompt";
    if (promptTokens >= context) {
      throw new ApiException(
          400, "this model's maximum context length is " + context + " tokens, but the "
              + param + " take " + promptTokens, "invalid_request_error", param,
          "context_length_exceeded");
    }
    if (request.maxTokens() < 0) {
      int fallback = request.chat() ? defaultMaxTokens : 16; // OpenAI's default for completions
      return Math.min(fallback, context - promptTokens);
    }
    if (promptTokens + request.maxTokens() > context) {
      throw new ApiException(
          400, "this model's maximum context length is " + context + " tokens; you asked for "
              + (promptTokens + request.maxTokens()) + " (" + promptTokens + " in the " + param
              + ", " + request.maxTokens() + " in the completion)", "invalid_request_error",
          "max_tokens", "context_length_exceeded");
    }
    return request.maxTokens();
  }

  private ObjectNode models() {
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    root.putArray("data").addObject()
        .put("id", servedName)
        .put("object", "model")
        .put("created", created)
        .put("owned_by", "tuninglab")
        .put("max_model_len", model.maxContextTokens());
    return root;
  }

  private void answer(HttpExchange exchange, CompletionRequest request, GenerationQueue.Job job)
      throws IOException {
    Object event;
    try {
      do {
        event = job.poll(Long.MAX_VALUE);
      } while (event instanceof String);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // the server is stopping
    }
    if (event instanceof RuntimeException failure) {
      throw failed(failure);
    }
    ChatReply reply = (ChatReply) event;
    ObjectNode root = header(request, false);
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    if (request.chat()) {
      choice.putObject("message").put("role", "assistant").put("content", reply.text());
    } else {
      choice.put("text", reply.text());
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(reply));
    usage(root, reply);
    sendJson(exchange, 200, root);
  }

  private void stream(HttpExchange exchange, CompletionRequest request, GenerationQueue.Job job)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    String id = null;
    if (request.chat()) {
      ObjectNode first = chunk(request, id = newId(request));
      first.withArray("choices").addObject().put("index", 0)
          .putNull("finish_reason")
          .putObject("delta").put("role", "assistant").put("content", "");
      send(out, first.toString());
    } else {
      id = newId(request);
    }
    try {
      while (true) {
        Object event = job.poll(KEEP_ALIVE_MILLIS);
        if (event == null) {
          write(out, ": queued\n\n"); // keeps clients' read timeouts from counting the queue
        } else if (event instanceof String delta) {
          ObjectNode c = chunk(request, id);
          ObjectNode choice = c.withArray("choices").addObject().put("index", 0);
          if (request.chat()) {
            choice.putObject("delta").put("content", delta);
          } else {
            choice.put("text", delta);
          }
          choice.putNull("finish_reason");
          send(out, c.toString());
        } else if (event instanceof RuntimeException failure) {
          send(out, failed(failure).toJson(JSON).toString());
          return;
        } else {
          ChatReply reply = (ChatReply) event;
          ObjectNode last = chunk(request, id);
          ObjectNode choice = last.withArray("choices").addObject().put("index", 0);
          if (request.chat()) {
            choice.putObject("delta");
          } else {
            choice.put("text", "");
          }
          choice.put("finish_reason", finishReason(reply));
          send(out, last.toString());
          if (request.includeUsage()) {
            ObjectNode usage = chunk(request, id);
            usage.putArray("choices");
            usage(usage, reply);
            send(out, usage.toString());
          }
          write(out, "data: [DONE]\n\n");
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping
    }
  }

  private static ApiException failed(RuntimeException failure) {
    if (failure instanceof ApiException api) {
      return api;
    }
    String message =
        failure instanceof ChatModelException
            ? failure.getMessage()
            : "the model failed: " + failure;
    return new ApiException(500, message, "server_error", null, null);
  }

  private ObjectNode header(CompletionRequest request, boolean chunk) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", newId(request));
    root.put("object", request.chat()
        ? (chunk ? "chat.completion.chunk" : "chat.completion")
        : "text_completion");
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", servedName);
    return root;
  }

  private ObjectNode chunk(CompletionRequest request, String id) {
    ObjectNode root = header(request, true);
    root.put("id", id);
    return root;
  }

  private static String newId(CompletionRequest request) {
    return (request.chat() ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
  }

  private static String finishReason(ChatReply reply) {
    return reply.finishReason() == FinishReason.LENGTH ? "length" : "stop";
  }

  private static void usage(ObjectNode root, ChatReply reply) {
    root.putObject("usage")
        .put("prompt_tokens", reply.promptTokens())
        .put("completion_tokens", reply.completionTokens())
        .put("total_tokens", reply.promptTokens() + reply.completionTokens());
  }

  private static void send(OutputStream out, String json) throws IOException {
    write(out, "data: " + json + "\n\n");
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sendJson(HttpExchange exchange, int status, ObjectNode body)
      throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Builds a {@link ChatServer}: {@code setModel} required. Defaults: 127.0.0.1, port 8000, the
   * model's name, no API key, 16 handler threads, 512 tokens for chat replies without max_tokens.
   */
  public static final class Builder {
    private LocalChatModel model;
    private String host = "127.0.0.1";
    private int port = 8000;
    private String servedName;
    private String apiKey;
    private int handlerThreads = 16;
    private int defaultMaxTokens = 512;

    public Builder setModel(LocalChatModel value) {
      model = value;
      return this;
    }

    /** The address to bind; 127.0.0.1 by default so that only this machine can call. */
    public Builder optHost(String value) {
      host = value;
      return this;
    }

    /** The port; 0 picks a free one. */
    public Builder optPort(int value) {
      port = value;
      return this;
    }

    /** The model name clients must send; default the model's own name. */
    public Builder optServedName(String value) {
      servedName = value;
      return this;
    }

    /** Requires {@code Authorization: Bearer <key>} on every /v1 request; null: no key. */
    public Builder optApiKey(String value) {
      apiKey = value;
      return this;
    }

    /** Threads that parse requests and write responses (generation has its own one). */
    public Builder optHandlerThreads(int value) {
      handlerThreads = value;
      return this;
    }

    /** Reply length for chat requests that give no max_tokens (capped by the context). */
    public Builder optDefaultMaxTokens(int value) {
      defaultMaxTokens = value;
      return this;
    }

    public ChatServer build() {
      Objects.requireNonNull(model, "setModel is required");
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
      }
      if (handlerThreads < 1 || defaultMaxTokens < 1) {
        throw new IllegalArgumentException("handlerThreads and defaultMaxTokens must be >= 1");
      }
      if (apiKey != null && apiKey.isBlank()) {
        throw new IllegalArgumentException("the API key must not be blank");
      }
      return new ChatServer(this);
    }
  }
}
