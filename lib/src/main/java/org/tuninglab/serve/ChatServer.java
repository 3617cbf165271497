package org.tuninglab.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.tuninglab.chat.ChatModelException;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.tokenize.ChatMessage;

/**
 * An OpenAI-compatible HTTP server for one {@link LocalChatModel}: {@code POST
 * /v1/chat/completions}, {@code POST /v1/completions} (both with {@code stream}), {@code GET
 * /v1/models} and {@code GET /health}, on Jetty 12.
 *
 * <p>Jetty reads request headers and bodies without a thread per connection, so clients that send
 * slowly hold no handler thread; a connection idle for longer than the idle timeout, or that has
 * not sent its first request's headers within the header timeout, is closed, a body arriving
 * slower than a minimum rate is refused, and at most a bounded number of connections
 * is open at once (further ones wait in the kernel's accept queue). Requests are parsed, checked and
 * tokenised on handler threads, in parallel; then they wait in one FIFO queue, bounded, for the
 * single worker thread that owns the model (see {@link GenerationQueue}); a full queue answers 503.
 * A streamed request gets its headers at once and a {@code : queued} comment every few seconds
 * while it waits, so clients' read timeouts measure the server's silence, not the queue. A client
 * that disconnects, streamed or not, frees the model at its next token.
 *
 * <p>A prompt that cannot fit the model's context is refused by its length in characters before
 * it is tokenised, and the body is capped by what a context can hold (see {@link PromptLimits}).
 *
 * <p>Errors are OpenAI's JSON {@code {"error": {"message", "type", "param", "code"}}}: 400 for a
 * malformed body or a bad field (named in {@code param}), 401 for a missing or wrong API key, 404
 * for an unknown model or path, 405 for a wrong method, 413 for a body over the cap, 503 when the
 * queue is full or the server stops, 500 when the model fails.
 */
public final class ChatServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 16 << 20;
  private static final long KEEP_ALIVE_MILLIS = 5_000;
  /** How often a handler waiting for a non-streamed reply checks that its client is still there. */
  private static final long DISCONNECT_CHECK_MILLIS = 200;
  /** Below this a body upload counts as a slow client and is refused (bytes per second). */
  private static final long MIN_REQUEST_BYTES_PER_SECOND = 4 << 10;
  private static final int MAX_HEADER_BYTES = 16 << 10;
  /**
   * The most of an unwanted request body read and dropped before a reply; a body declared longer
   * gets its reply without being read, and the connection closes.
   */
  private static final long MAX_DRAIN_BYTES = 64L << 20;
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
  private final int maxConnections;
  private final int maxQueued;
  private final long idleTimeoutMillis;
  private final long headerTimeoutMillis;
  private final int defaultMaxTokens;
  private final long created = System.currentTimeMillis() / 1000;
  private final SplittableRandom seeds = new SplittableRandom();
  private PromptLimits limits;
  private Server server;
  private ServerConnector connector;
  private GenerationQueue queue;
  private boolean closed;

  private ChatServer(Builder b) {
    this.model = b.model;
    this.servedName = b.servedName == null ? b.model.name() : b.servedName;
    this.apiKey = b.apiKey == null ? null : b.apiKey.getBytes(StandardCharsets.UTF_8);
    this.host = b.host;
    this.requestedPort = b.port;
    this.handlerThreads = b.handlerThreads;
    this.maxConnections = b.maxConnections;
    this.maxQueued = b.maxQueued;
    this.idleTimeoutMillis = b.idleTimeoutMillis;
    this.headerTimeoutMillis = b.headerTimeoutMillis;
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
    limits = PromptLimits.of(model, MAX_BODY_BYTES);
    // Jetty's own acceptor and selector take threads from the pool too. The pool's task queue is
    // bounded by the connection limit: an HTTP/1.1 connection has one request at a time.
    QueuedThreadPool threads =
        new QueuedThreadPool(handlerThreads + 4, Math.min(8, handlerThreads + 4));
    threads.setName("tuninglab-serve-http");
    threads.setDaemon(true);
    Server http = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setRequestHeaderSize(MAX_HEADER_BYTES);
    config.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
    ServerConnector c = new ServerConnector(http, 1, 1, new HttpConnectionFactory(config));
    c.setHost(host);
    c.setPort(requestedPort);
    c.setIdleTimeout(idleTimeoutMillis);
    c.setAcceptQueueSize(64);
    http.addConnector(c);
    http.addBean(new NetworkConnectionLimit(maxConnections, c));
    c.addEventListener(new HeaderDeadline(c.getScheduler(), headerTimeoutMillis));
    http.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        ChatServer.this.handle(request, response, callback);
        return true;
      }
    });
    queue = new GenerationQueue(model, maxQueued);
    try {
      http.start();
    } catch (Exception e) {
      queue.close();
      try {
        http.stop();
      } catch (Exception ignored) {
        // nothing was started that needs stopping
      }
      throw new IOException(
          "cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
    }
    server = http;
    connector = c;
    return this;
  }

  /** The port bound (the one picked when port 0 was asked for). */
  public int port() {
    requireStarted();
    return connector.getLocalPort();
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

  /** The most characters a prompt may have before it is refused untokenised. */
  public long maxPromptChars() {
    requireStarted();
    return limits.maxPromptChars();
  }

  /** The largest request body read; a larger one gets 413. */
  public int maxBodyBytes() {
    requireStarted();
    return limits.maxBodyBytes();
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
    queue.close();
    try {
      server.stop();
    } catch (Exception e) {
      // stopping is best effort: the threads are daemons and the port is released either way
    }
  }

  private void handle(Request request, Response response, Callback callback) {
    Exchange exchange = new Exchange(request, response);
    try {
      try {
        route(exchange);
      } catch (ApiException e) {
        sendJson(exchange, e.status(), e.toJson(JSON));
      } catch (RuntimeException e) {
        sendJson(
            exchange, 500,
            new ApiException(500, "internal error: " + e, "server_error", null, null).toJson(JSON));
      }
      exchange.finish();
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      callback.failed(e); // the client left; nothing to answer
    }
  }

  /** One request and its response, with the blocking streams the handler code uses. */
  private static final class Exchange {
    final Request request;
    final Response response;
    private final AtomicBoolean failed = new AtomicBoolean();
    private boolean probing = true;
    private InputStream requestBody;
    private OutputStream out;

    Exchange(Request request, Response response) {
      this.request = request;
      this.response = response;
      request.addFailureListener(failure -> failed.set(true));
    }

    /**
     * Whether the client has closed its connection, for a handler that waits without writing.
     * Nothing reads the socket while the handler runs (the body is consumed), so Jetty cannot see
     * the close; a one-byte non-blocking read does: -1 is the client's FIN. Should a client have
     * pipelined a next request, the byte read is part of it: probing stops and the connection
     * closes after this response, so that request is never misread.
     */
    boolean clientGone() {
      if (failed.get() || !probing) {
        return failed.get();
      }
      Object transport = request.getConnectionMetaData().getConnection().getEndPoint()
          .getTransport();
      if (!(transport instanceof SocketChannel channel)) {
        probing = false;
        return false;
      }
      try {
        int read = channel.read(ByteBuffer.allocate(1));
        if (read < 0) {
          failed.set(true);
        } else if (read > 0) {
          probing = false;
          response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
      } catch (IOException e) {
        failed.set(true);
      }
      return failed.get();
    }

    String header(String name) {
      return request.getHeaders().get(name);
    }

    void setHeader(String name, String value) {
      response.getHeaders().put(name, value);
    }

    /** The request body as a stream; left open, so that {@link #discardBody} can finish it. */
    InputStream requestBody() {
      if (requestBody == null) {
        requestBody = Content.Source.asInputStream(request);
      }
      return requestBody;
    }

    /**
     * Reads and drops what is left of the request body (at most {@code MAX_DRAIN_BYTES}) before
     * a reply is committed. A reply over an unread body, such as a refusal decided from the
     * headers, makes Jetty close the keep-alive connection after it without a
     * {@code Connection: close} the client could see: the client's next request on that
     * connection gets no answer, and a client still sending gets a reset that can lose the reply.
     * A body longer than the bound closes the connection, saying so.
     */
    private void discardBody() throws IOException {
      if (request.getLength() > MAX_DRAIN_BYTES) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        return;
      }
      InputStream in = requestBody();
      byte[] sink = new byte[8192];
      long drained = 0;
      for (int n; (n = in.read(sink)) >= 0; ) {
        drained += n;
        if (drained > MAX_DRAIN_BYTES) {
          response.getHeaders().put(HttpHeader.CONNECTION, "close");
          return;
        }
      }
    }

    OutputStream body(int status) throws IOException {
      discardBody();
      response.setStatus(status);
      out = Content.Sink.asOutputStream(response);
      return out;
    }

    void finish() throws IOException {
      if (out != null) {
        out.close();
      }
    }
  }

  private void route(Exchange exchange) throws IOException {
    String path = exchange.request.getHttpURI().getPath();
    String method = exchange.request.getMethod();
    String allowed = ROUTES.get(path);
    if (allowed == null) {
      throw new ApiException(
          404, "unknown path: " + method + " " + path + "; this server answers "
              + "POST /v1/chat/completions, POST /v1/completions, GET /v1/models",
          "invalid_request_error", null, "unknown_url");
    }
    if (!allowed.equals(method)) {
      exchange.setHeader("Allow", allowed);
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

  /** RFC 7235: the scheme name is case-insensitive ({@code bearer} is as good as {@code Bearer}). */
  private void authorize(Exchange exchange) {
    if (apiKey == null) {
      return;
    }
    String header = exchange.header("Authorization");
    String scheme = "Bearer ";
    if (header == null || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
      exchange.setHeader("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401, "no API key: send 'Authorization: Bearer <key>'", "invalid_request_error", null,
          "missing_api_key");
    }
    byte[] given = header.substring(scheme.length()).strip().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, apiKey)) { // constant time: no hints by timing
      exchange.setHeader("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401, "incorrect API key", "invalid_request_error", null, "invalid_api_key");
    }
  }

  private JsonNode readBody(Exchange exchange) throws IOException {
    int cap = limits.maxBodyBytes();
    // A longer body than the cap is left for the reply to discard (Exchange.body).
    byte[] bytes = exchange.request.getLength() > cap
        ? null : exchange.requestBody().readNBytes(cap + 1);
    if (bytes == null || bytes.length > cap) {
      throw new ApiException(
          413, "the request body is over " + cap + " bytes, the most that can hold a prompt "
              + "this model's context of " + limits.contextTokens() + " tokens could take",
          "invalid_request_error", null, "request_too_large");
    }
    try {
      return JSON.readTree(bytes);
    } catch (StreamConstraintsException e) {
      throw ApiException.invalid(null, "the body is refused: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column "
          + at.getColumnNr() + ")";
      throw ApiException.invalid(
          null, "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
    }
  }

  /**
   * Measures the prompt by characters first, then tokenises it on this handler thread: tokenizers
   * and templates are thread-safe, so requests tokenise in parallel and never wait for generation.
   */
  private int[] encode(CompletionRequest request) {
    if (request.chat() && !model.hasChatTemplate()) {
      throw ApiException.invalid(
          "messages", "the model '" + servedName + "' has no chat template; use /v1/completions"
              + " with a prompt");
    }
    String param = request.chat() ? "messages" : "prompt";
    long chars = 0;
    if (request.chat()) {
      for (ChatMessage m : request.messages()) {
        chars += m.content().length();
      }
    } else {
      chars = request.prompt().length();
    }
    limits.checkChars(chars, param);
    int[] ids;
    try {
      ids = request.chat()
          ? model.chatPrompt(request.messages())
          : model.textPrompt(request.prompt());
    } catch (RuntimeException e) {
      throw ApiException.invalid(param, "cannot render the prompt: " + e.getMessage());
    }
    if (ids.length == 0) { // an empty prompt where the tokenizer adds no start token (BOS)
      throw ApiException.invalid(
          param, "'" + param + "' is empty and this model's tokenizer adds no start token: there"
              + " is nothing to continue");
    }
    return ids;
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

  private void answer(Exchange exchange, CompletionRequest request, GenerationQueue.Job job)
      throws IOException {
    GenerationEvent event;
    try {
      do {
        event = job.poll(DISCONNECT_CHECK_MILLIS);
        if (exchange.clientGone()) {
          return; // the finally in route cancels the job
        }
      } while (event == null || event instanceof GenerationEvent.Delta);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // the server is stopping
    }
    ChatReply reply;
    if (event instanceof GenerationEvent.Failed failed) {
      throw failed(failed.error());
    }
    reply = ((GenerationEvent.Done) event).reply();
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

  private void stream(Exchange exchange, CompletionRequest request, GenerationQueue.Job job)
      throws IOException {
    exchange.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    exchange.setHeader("Cache-Control", "no-cache");
    OutputStream out = exchange.body(200);
    String id = newId(request);
    if (request.chat()) {
      ObjectNode first = chunk(request, id);
      first.withArray("choices").addObject().put("index", 0)
          .putNull("finish_reason")
          .putObject("delta").put("role", "assistant").put("content", "");
      send(out, first.toString());
    }
    try {
      while (true) {
        GenerationEvent event = job.poll(KEEP_ALIVE_MILLIS);
        if (event == null) {
          write(out, ": queued\n\n"); // keeps clients' read timeouts from counting the queue
        } else if (event instanceof GenerationEvent.Delta delta) {
          ObjectNode c = chunk(request, id);
          ObjectNode choice = c.withArray("choices").addObject().put("index", 0);
          if (request.chat()) {
            choice.putObject("delta").put("content", delta.text());
          } else {
            choice.put("text", delta.text());
          }
          choice.putNull("finish_reason");
          send(out, c.toString());
        } else if (event instanceof GenerationEvent.Failed failed) {
          send(out, failed(failed.error()).toJson(JSON).toString());
          return;
        } else {
          ChatReply reply = ((GenerationEvent.Done) event).reply();
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

  private static void sendJson(Exchange exchange, int status, ObjectNode body)
      throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.setHeader("Content-Type", "application/json");
    exchange.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    exchange.body(status).write(bytes);
  }

  /**
   * Builds a {@link ChatServer}: {@code setModel} required. Defaults: 127.0.0.1, port 8000, the
   * model's name, no API key, 64 handler threads, 256 connections, 128 queued requests, 30 s idle
   * timeout, 10 s header timeout, 512 tokens for chat replies without max_tokens.
   */
  public static final class Builder {
    private LocalChatModel model;
    private String host = "127.0.0.1";
    private int port = 8000;
    private String servedName;
    private String apiKey;
    private int handlerThreads = 64;
    private int maxConnections = 256;
    private int maxQueued = 128;
    private long idleTimeoutMillis = 30_000;
    private long headerTimeoutMillis = 10_000;
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

    /** Connections open at once; more wait in the kernel's accept queue until one closes. */
    public Builder optMaxConnections(int value) {
      maxConnections = value;
      return this;
    }

    /** Requests waiting for the model; one more gets 503 instead of an ever longer wait. */
    public Builder optMaxQueued(int value) {
      maxQueued = value;
      return this;
    }

    /**
     * How long a connection may stay silent (while sending headers or body, or between requests)
     * before it is closed.
     */
    public Builder optIdleTimeoutMillis(long value) {
      idleTimeoutMillis = value;
      return this;
    }

    /** How long a new connection has to send its first request's headers before it is closed. */
    public Builder optHeaderTimeoutMillis(long value) {
      headerTimeoutMillis = value;
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
      if (handlerThreads < 1 || defaultMaxTokens < 1 || maxConnections < 1 || maxQueued < 1
          || idleTimeoutMillis < 1 || headerTimeoutMillis < 1) {
        throw new IllegalArgumentException(
            "handlerThreads, defaultMaxTokens, maxConnections, maxQueued, idleTimeoutMillis and"
                + " headerTimeoutMillis must be >= 1");
      }
      if (apiKey != null && apiKey.isBlank()) {
        throw new IllegalArgumentException("the API key must not be blank");
      }
      return new ChatServer(this);
    }
  }
}
