package org.tuninglab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.testing.TinyModelDir;
import org.tuninglab.tokenize.ChatMessage;

/**
 * Hostile but realistic clients on loopback (127.0.0.1 only; every loop bounded in count and
 * time): slow senders, oversized prompts, template syntax in messages, deep JSON, clients that
 * leave. The server must keep answering everyone else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatServerAbuseTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "abuse-key-5678";
  private static final Duration PATIENCE = Duration.ofSeconds(3);

  private Path dir;
  private LocalChatModel local;
  private ChatServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(PATIENCE).build();

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("chat-server-abuse");
    TinyModelDir.write(dir, 31, TensorDType.F32, 64 << 20);
    local = LocalChatModel.load(dir.toString(), null, Device.cpu(), DataType.FLOAT32);
    server =
        ChatServer.builder().setModel(local).optPort(0).optServedName("tiny").optApiKey(KEY)
            .build().start();
  }

  @AfterAll
  void stop() throws IOException {
    server.close();
    local.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private HttpResponse<String> post(String path, String body, String auth) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(server.url().replace("/v1", "") + path))
            .timeout(PATIENCE)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      r.header("Authorization", auth);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return post(path, body, "Bearer " + KEY);
  }

  private HttpResponse<String> health() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.url().replace("/v1", "/health")))
            .timeout(PATIENCE).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String small() {
    return "{\"model\": \"tiny\", \"prompt\": \"abc\", \"max_tokens\": 4, \"temperature\": 0}";
  }

  private static JsonNode error(HttpResponse<String> response, int status, String param)
      throws IOException {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertEquals(param, error.get("param").isNull() ? null : error.get("param").asText(),
        response.body());
    return error;
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.setSoTimeout(5_000);
    return s;
  }

  /** 16 clients trickle their headers a byte at a time; everyone else is still answered. */
  @Test
  void slowClientsDoNotHoldUpHealthOrCompletions() throws Exception {
    int clients = 16;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch connected = new CountDownLatch(clients);
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        Socket s = connect();
        sockets.add(s);
        pool.submit(() -> {
          try {
            OutputStream out = s.getOutputStream();
            out.write("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            connected.countDown();
            byte[] header = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(
                StandardCharsets.US_ASCII);
            for (int b = 0; b < header.length && !s.isClosed(); b++) { // bounded: ~4 s
              out.write(header[b]);
              out.flush();
              Thread.sleep(100);
            }
          } catch (IOException | InterruptedException e) {
            // the server (or the test) closed it
          }
          return null;
        });
      }
      assertTrue(connected.await(5, TimeUnit.SECONDS));
      Thread.sleep(200);
      long start = System.nanoTime();
      assertEquals(200, health().statusCode());
      assertEquals(200, post("/v1/completions", small()).statusCode());
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds < PATIENCE.toSeconds(), "answered in " + seconds + " s");
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  /** A connection that stops sending mid-headers is closed after the idle timeout. */
  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (ChatServer strict =
            ChatServer.builder().setModel(local).optPort(0).optIdleTimeoutMillis(300).build()
                .start();
        Socket s = new Socket(InetAddress.getLoopbackAddress(), strict.port())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127".getBytes(
          StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      long start = System.nanoTime();
      InputStream in = s.getInputStream();
      while (in.read() >= 0) { // a 408 or 400 may come before the close
        assertTrue(System.nanoTime() - start < 4e9, "still open after 4 s");
      }
      assertTrue((System.nanoTime() - start) / 1e9 < 4);
    }
  }

  /**
   * A client that keeps trickling header bytes is never idle; the header deadline closes it. A
   * request whose headers arrived in time is not cut, however long its reply takes.
   */
  @Test
  void aConnectionThatNeverFinishesItsHeadersIsClosed() throws Exception {
    try (ChatServer strict =
            ChatServer.builder().setModel(local).optPort(0).optServedName("tiny")
                .optHeaderTimeoutMillis(500).build().start();
        Socket s = new Socket(InetAddress.getLoopbackAddress(), strict.port())) {
      s.setSoTimeout(100);
      OutputStream out = s.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      boolean closed = false;
      for (int i = 0; i < 50 && !closed; i++) { // bounded: 5 s
        try {
          out.write('a');
          out.flush();
          closed = s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
          // still open
        } catch (IOException e) {
          closed = true;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(closed && seconds < 3, "closed " + closed + " after " + seconds + " s");
      HttpResponse<String> slow = http.send(
          HttpRequest.newBuilder(URI.create(strict.url() + "/completions")).timeout(
              Duration.ofMinutes(2))
              .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"tiny\", \"prompt\":"
                  + " \"abc\", \"temperature\": 0, \"max_tokens\": 400}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, slow.statusCode(), slow.body());
    }
  }

  @Test
  void aPromptThatCannotFitIsRefusedBeforeTokenising() throws Exception {
    long limit = server.maxPromptChars();
    String prompt = "a".repeat((int) limit + 1);
    long start = System.nanoTime();
    JsonNode e = error(post("/v1/completions",
        "{\"model\": \"tiny\", \"prompt\": \"" + prompt + "\"}"), 400, "prompt");
    assertEquals("context_length_exceeded", e.get("code").asText());
    assertTrue(e.get("message").asText().contains(String.valueOf(limit)), e.toString());
    assertTrue((System.nanoTime() - start) / 1e9 < 2, "refused quickly");
    String chat = "{\"model\": \"tiny\", \"messages\": [{\"role\": \"user\", \"content\": \""
        + prompt + "\"}]}";
    error(post("/v1/chat/completions", chat), 400, "messages");
    String huge = "{\"model\": \"tiny\", \"prompt\": \"" + "a".repeat(server.maxBodyBytes()) + "\"}";
    JsonNode tooLarge = error(post("/v1/completions", huge), 413, null);
    assertTrue(tooLarge.get("message").asText().contains(String.valueOf(server.maxBodyBytes())));
    assertEquals(200, post("/v1/completions", small()).statusCode());
  }

  @Test
  void templateSyntaxInAMessageIsText() throws Exception {
    for (String content : List.of("{{ 7*6 }}", "{{", "{% for a in range(1000) %}{% for b in "
        + "range(1000) %}{% for c in range(1000) %}x{% endfor %}{% endfor %}{% endfor %}")) {
      String body = "{\"model\": \"tiny\", \"max_tokens\": 2, \"messages\": [{\"role\": \"user\","
          + " \"content\": " + JSON.writeValueAsString(content) + "}]}";
      HttpResponse<String> r = post("/v1/chat/completions", body);
      assertEquals(200, r.statusCode(), r.body());
      int promptTokens = JSON.readTree(r.body()).get("usage").get("prompt_tokens").asInt();
      int literal = local.model().tokenizer().encode(
          "<|im_start|>user\n" + content + "<|im_end|>\n<|im_start|>assistant\n", false).length;
      assertTrue(promptTokens >= literal, promptTokens + " < " + literal);
    }
  }

  @Test
  void malformedFieldsGet400NamingThem() throws Exception {
    error(post("/v1/completions", "{\"model\": \"tiny\", \"prompt\": "
        + "[".repeat(100_000) + "]".repeat(100_000) + "}"), 400, null);
    JsonNode e = error(post("/v1/chat/completions", "{\"model\": \"tiny\", \"messages\": "
        + "[{\"role\": \"wizard\", \"content\": \"hi\"}]}"), 400, "messages[0].role");
    assertTrue(e.get("message").asText().contains("wizard"), e.toString());
  }

  /** An empty prompt is fine where the tokenizer adds BOS; where it adds nothing, 400 not 500. */
  @Test
  void anEmptyPromptWithNothingToContinueIs400() throws Exception {
    assertEquals(200, post("/v1/completions",
        "{\"model\": \"tiny\", \"prompt\": \"\", \"max_tokens\": 2}").statusCode());
    Path embedded = Path.of("").toAbsolutePath().getParent().resolve("models/tuninglab-tiny");
    try (LocalChatModel noBos =
            LocalChatModel.load(embedded.toString(), null, Device.cpu(), DataType.FLOAT32);
        ChatServer s = ChatServer.builder().setModel(noBos).optPort(0).optServedName("e").build()
            .start()) {
      assertEquals(0, noBos.textPrompt("").length, "precondition: no start token is added");
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create(s.url() + "/completions")).timeout(PATIENCE)
              .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"e\", \"prompt\": \"\"}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode e = error(r, 400, "prompt");
      assertTrue(e.get("message").asText().contains("nothing to continue"), e.toString());
    }
  }

  @Test
  void theBearerSchemeIsCaseInsensitive() throws Exception {
    assertEquals(200, post("/v1/completions", small(), "bearer " + KEY).statusCode());
    assertEquals(200, post("/v1/completions", small(), "BEARER " + KEY).statusCode());
    assertEquals(401, post("/v1/completions", small(), "Basic " + KEY).statusCode());
  }

  /**
   * A request refused before its body is read (wrong key, unknown path) must not leave the body
   * unread: the server would then close the keep-alive connection after a reply it had already
   * committed without saying so, and the client's next request on it would get no answer.
   */
  @Test
  void aRequestRefusedBeforeItsBodyArrivedLeavesTheConnectionUsable() throws Exception {
    String body = small();
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (String head : List.of(
          "POST /v1/completions HTTP/1.1\r\nAuthorization: Bearer nope\r\n",
          "POST /v1/no-such-path HTTP/1.1\r\n")) {
        out.write((head + "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(300); // the refusal is decided before the body arrives
        out.write(body.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int status = readStatusAndSkipBody(in);
        assertTrue(status == 401 || status == 404, "status " + status);
      }
      out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertEquals(200, readStatusAndSkipBody(in), "the same connection answers the next request");
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
  private static int readStatusAndSkipBody(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the server closed the connection; read so far: " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(head.substring(9, 12));
  }

  /** A client that leaves a long non-streamed request frees the model for the next one. */
  @Test
  void anAbandonedRequestIsCancelled() throws Exception {
    int tokens = 2000;
    // Precondition: this greedy continuation runs to the length limit (no early end token).
    assertEquals(FinishReason.LENGTH,
        local.complete("abc", GenerationConfig.greedy(tokens), d -> {}).finishReason());
    String body = "{\"model\": \"tiny\", \"prompt\": \"abc\", \"temperature\": 0, \"max_tokens\": "
        + tokens + "}";
    long start = System.nanoTime(); // how long the worker is busy when nobody leaves (warm)
    assertEquals(200, http.send(HttpRequest.newBuilder(
            URI.create(server.url() + "/completions")).timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    double full = (System.nanoTime() - start) / 1e9;
    java.util.concurrent.CompletableFuture<HttpResponse<String>> next;
    try (Socket s = connect()) {
      s.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + KEY + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body)
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(300);
      next = http.sendAsync(
          HttpRequest.newBuilder(URI.create(server.url() + "/completions")).timeout(
              Duration.ofMinutes(2)).header("Authorization", "Bearer " + KEY)
              .POST(HttpRequest.BodyPublishers.ofString(small())).build(),
          HttpResponse.BodyHandlers.ofString());
      for (int i = 0; i < 100 && server.queued() == 0; i++) {
        Thread.sleep(20);
      }
      // Precondition: the long request is being generated and the small one waits behind it.
      assertEquals(1, server.queued(), "the next request waits behind the long one");
      start = System.nanoTime();
    } // the client leaves
    assertEquals(200, next.get(2, TimeUnit.MINUTES).statusCode());
    double waited = (System.nanoTime() - start) / 1e9;
    assertTrue(waited < full / 4, "the next request waited " + waited + " s; a full reply takes "
        + full + " s");
  }
}
