package org.tuninglab.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.tokenize.ChatMessage;

/** The client against small loopback servers of our own that misbehave on purpose. */
class OpenAiChatModelTest {
  private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("hello"));
  private static final String REPLY =
      "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"hi there\"},"
          + "\"finish_reason\":\"length\"}],"
          + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}";

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  /** A server on a free loopback port whose one handler answers every request. */
  private String serve(Handler handler) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        handler.handle(exchange);
      } catch (IOException | InterruptedException e) {
        // the client went away
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    toClose.add(() -> server.stop(0));
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  interface Handler {
    void handle(HttpExchange exchange) throws IOException, InterruptedException;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private OpenAiChatModel client(String baseUrl, OpenAiConfig.Builder settings) {
    OpenAiChatModel client =
        new OpenAiChatModel(settings.optBaseUrl(baseUrl).setModel("m").build(), waits::add);
    toClose.add(client);
    return client;
  }

  private static OpenAiConfig.Builder fast() {
    return OpenAiConfig.builder().optInitialBackoff(Duration.ofMillis(100))
        .optMaxBackoff(Duration.ofSeconds(20)).optMaxAttempts(3);
  }

  @Test
  void twoServiceUnavailableThenSuccessTakesExactlyThreeAttempts() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url = serve(exchange -> {
      if (calls.incrementAndGet() <= 2) {
        respond(exchange, 503,
            "{\"error\":{\"message\":\"warming up\",\"type\":\"server_error\"}}");
      } else {
        respond(exchange, 200, REPLY);
      }
    });
    ChatReply reply = client(url, fast()).chat(HELLO, GenerationConfig.greedy(2));
    assertEquals(3, calls.get());
    assertEquals(new ChatReply("hi there", FinishReason.LENGTH, 5, 2), reply);
    assertEquals(2, waits.size());
    // Exponential with jitter in [0.5, 1]: 100 ms * {1, 2} scaled.
    assertTrue(waits.get(0).toMillis() >= 50 && waits.get(0).toMillis() <= 100, waits.toString());
    assertTrue(waits.get(1).toMillis() >= 100 && waits.get(1).toMillis() <= 200, waits.toString());
  }

  @Test
  void retryAfterIsHonouredAndCappedAtMaxBackoff() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url = serve(exchange -> {
      int n = calls.incrementAndGet();
      if (n <= 2) {
        exchange.getResponseHeaders().set("Retry-After", n == 1 ? "3" : "120");
        respond(exchange, 429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}");
      } else {
        respond(exchange, 200, REPLY);
      }
    });
    client(url, fast()).chat(HELLO, GenerationConfig.greedy(2));
    assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(20)), waits);
  }

  @Test
  void unauthorizedIsNotRetriedAndSurfacesTheServersMessage() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url = serve(exchange -> {
      calls.incrementAndGet();
      respond(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided\","
          + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
    });
    EndpointException e =
        assertThrows(EndpointException.class,
            () -> client(url, fast().optApiKey("wrong")).chat(HELLO, GenerationConfig.greedy(2)));
    assertEquals(1, calls.get());
    assertEquals(401, e.status());
    assertEquals(1, e.attempts());
    assertEquals("invalid_api_key", e.errorCode());
    assertEquals(
        "POST " + url + "/chat/completions (model 'm'): HTTP 401: Incorrect API key provided"
            + " (type invalid_request_error, code invalid_api_key); not retried (attempt 1 of 3)",
        e.getMessage());
    assertTrue(waits.isEmpty());
  }

  @Test
  void serverErrorsExhaustTheAttemptsAndSayHowMany() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url = serve(exchange -> {
      calls.incrementAndGet();
      respond(exchange, 500, "plain text failure");
    });
    EndpointException e =
        assertThrows(EndpointException.class,
            () -> client(url, fast()).chat(HELLO, GenerationConfig.greedy(2)));
    assertEquals(3, calls.get());
    assertEquals(3, e.attempts());
    assertTrue(e.getMessage().endsWith("HTTP 500: plain text failure; gave up after 3 attempts"),
        e.getMessage());
  }

  @Test
  void aClosedPortFailsAfterTheConfiguredAttempts() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/v1";
    EndpointException e =
        assertThrows(EndpointException.class,
            () -> client(url, fast().optMaxAttempts(4)).chat(HELLO, GenerationConfig.greedy(2)));
    assertEquals(0, e.status());
    assertEquals(4, e.attempts());
    assertEquals(3, waits.size());
    assertTrue(e.getMessage().startsWith("POST " + url + "/chat/completions (model 'm'): cannot"
        + " connect"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; gave up after 4 attempts"), e.getMessage());
  }

  @Test
  void aServerThatAcceptsButNeverAnswersTimesOut() throws Exception {
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> held = Collections.synchronizedList(new ArrayList<>());
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          held.add(silent.accept()); // read nothing, answer nothing
        }
      } catch (IOException e) {
        // closed
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    toClose.add(() -> {
      silent.close();
      for (Socket s : held) {
        s.close();
      }
    });
    String url = "http://127.0.0.1:" + silent.getLocalPort() + "/v1";
    EndpointException e =
        assertThrows(EndpointException.class,
            () -> client(url, fast().optMaxAttempts(2).optRequestTimeout(Duration.ofMillis(300)))
                .chat(HELLO, GenerationConfig.greedy(2)));
    assertEquals(2, e.attempts());
    assertTrue(e.getMessage().contains(": no response within 300 ms (request timeout); gave up"
        + " after 2 attempts"), e.getMessage());
  }

  @Test
  void aStreamThatGoesSilentHitsTheReadTimeout() throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    toClose.add(release::countDown);
    String url = serve(exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once\"},"
          + "\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      release.await(); // then nothing more until the test ends
    });
    StringBuilder seen = new StringBuilder();
    EndpointException e =
        assertThrows(EndpointException.class,
            () -> client(url, fast().optReadTimeout(Duration.ofMillis(300)))
                .chat(HELLO, GenerationConfig.greedy(8), seen::append));
    assertEquals("Once", seen.toString());
    assertEquals(1, e.attempts());
    assertTrue(e.getMessage().contains("the response went silent for 300 ms (read timeout); not"
        + " retried since the reply had begun"), e.getMessage());
  }

  @Test
  void anErrorEventMidStreamSurfacesTheServersMessage() throws IOException {
    String url = serve(exchange -> {
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().write(("data: {\"choices\":[{\"index\":0,\"delta\":"
          + "{\"content\":\"ab\"},\"finish_reason\":null}]}\n\n"
          + "data: {\"error\":{\"message\":\"out of memory\",\"type\":\"server_error\"}}\n\n")
          .getBytes(StandardCharsets.UTF_8));
    });
    EndpointException e =
        assertThrows(EndpointException.class,
            () -> client(url, fast()).chat(HELLO, GenerationConfig.greedy(8), d -> {}));
    assertTrue(e.getMessage().contains("mid-stream after 2 characters: out of memory"),
        e.getMessage());
  }

  @Test
  void aStreamIsJoinedAndItsUsageRead() throws IOException {
    String url = serve(exchange -> {
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().write((": comment\n\n"
          + "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
          + "\"content\":\"\"}}]}\n\n"
          + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
          + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" you\"}}]}\n\n"
          + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\","
          + "\"stop_reason\":\"\\n\"}]}\n\n"
          + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3}}\n\n"
          + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
    });
    List<String> deltas = new ArrayList<>();
    ChatReply reply = client(url, fast()).chat(HELLO, GenerationConfig.greedy(8), deltas::add);
    assertEquals(List.of("Hi", " you"), deltas);
    assertEquals(new ChatReply("Hi you", FinishReason.STOP_STRING, 4, 3), reply);
  }

  @Test
  void configComesFromTheEnvironmentAndHidesTheKey() {
    OpenAiConfig config =
        OpenAiConfig.builder().setModel("qwen")
            .optEnvironment(Map.of("OPENAI_BASE_URL", "http://10.0.0.5:8000/v1/",
                "OPENAI_API_KEY", "sk-secret"))
            .build();
    assertEquals("http://10.0.0.5:8000/v1/chat/completions",
        config.resolve("chat/completions").toString());
    assertEquals("sk-secret", config.apiKey());
    assertTrue(!config.toString().contains("sk-secret"), config.toString());
    OpenAiConfig defaults =
        OpenAiConfig.builder().setModel("qwen").optEnvironment(Map.of()).build();
    assertEquals("https://api.openai.com/v1/models", defaults.resolve("models").toString());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> OpenAiConfig.builder().setModel("q").optBaseUrl("localhost:8000").build());
    assertTrue(e.getMessage().contains("baseUrl must be an http(s) URL"), e.getMessage());
  }

  @Test
  void backoffIsSeededDoublesAndIsCapped() {
    Backoff a = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(5000), 7);
    Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(5000), 7);
    for (int retry = 1; retry <= 5; retry++) {
      Duration d = a.delay(retry, null);
      assertEquals(d, b.delay(retry, null));
      long full = Math.min(1000L << (retry - 1), 5000);
      assertTrue(d.toMillis() <= full && d.toMillis() >= Math.min(full / 2, 5000), d.toString());
    }
  }
}
