package org.tuninglab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.EndpointException;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.chat.OpenAiChatModel;
import org.tuninglab.chat.OpenAiConfig;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.testing.TinyModelDir;
import org.tuninglab.tokenize.ChatMessage;

/** The server and the client together over real loopback HTTP, on a tiny random model. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "test-key-1234";

  private Path dir;
  private LocalChatModel local;
  private ChatServer server;
  private ChatServer keyed;
  private OpenAiChatModel client;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("chat-server-test");
    TinyModelDir.write(dir, 11, TensorDType.F32, 64 << 20);
    local = LocalChatModel.load(dir.toString(), null, Device.cpu(), DataType.FLOAT32);
    server = ChatServer.builder().setModel(local).optPort(0).optServedName("tiny").build().start();
    keyed = ChatServer.builder().setModel(local).optPort(0).optServedName("tiny").optApiKey(KEY)
        .build().start();
    client = new OpenAiChatModel(config(server.url()).build());
  }

  @AfterAll
  void stop() throws IOException {
    client.close();
    server.close();
    keyed.close();
    local.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static OpenAiConfig.Builder config(String url) {
    return OpenAiConfig.builder().setModel("tiny").optBaseUrl(url).optMaxAttempts(3)
        .optInitialBackoff(Duration.ofMillis(10));
  }

  private static List<ChatMessage> conversation(int i) {
    return List.of(ChatMessage.system("Be brief."), ChatMessage.user("Question number " + i + "?"));
  }

  @Test
  void greedyTextIsTheSameInProcessPlainAndStreamed() {
    GenerationConfig greedy = GenerationConfig.greedy(24);
    int lengthCut = 0;
    for (int i = 0; i < 4; i++) {
      ChatReply inProcess = local.chat(conversation(i), greedy);
      ChatReply plain = client.chat(conversation(i), greedy);
      StringBuilder deltas = new StringBuilder();
      ChatReply streamed = client.chat(conversation(i), greedy, deltas::append);
      assertEquals(inProcess.text(), plain.text());
      assertEquals(inProcess.text(), streamed.text());
      assertEquals(streamed.text(), deltas.toString());
      for (ChatReply remote : List.of(plain, streamed)) {
        assertEquals(inProcess.promptTokens(), remote.promptTokens());
        assertEquals(inProcess.completionTokens(), remote.completionTokens());
        assertEquals(inProcess.finishReason() == FinishReason.LENGTH,
            remote.finishReason() == FinishReason.LENGTH);
      }
      lengthCut += inProcess.finishReason() == FinishReason.LENGTH ? 1 : 0;
      assertTrue(inProcess.promptTokens() > 10);
    }
    assertTrue(lengthCut > 0, "at least one reply should run to max_tokens");
  }

  @Test
  void completionsMatchInProcessTextAndStopStrings() {
    GenerationConfig greedy = GenerationConfig.greedy(20);
    ChatReply inProcess = local.complete("Once upon a time", greedy, d -> {});
    assertEquals(inProcess, client.complete("Once upon a time", greedy));
    StringBuilder deltas = new StringBuilder();
    assertEquals(inProcess, client.complete("Once upon a time", greedy, deltas::append));
    assertEquals(inProcess.text(), deltas.toString());
    // A stop string taken from inside the greedy text cuts the reply before it.
    String stop = inProcess.text().substring(3, 5);
    GenerationConfig stopping = greedy.toBuilder().optStopStrings(List.of(stop)).build();
    ChatReply cut = client.complete("Once upon a time", stopping);
    assertEquals(inProcess.text().substring(0, inProcess.text().indexOf(stop)), cut.text());
    assertEquals(local.complete("Once upon a time", stopping, d -> {}).text(), cut.text());
  }

  @Test
  void seededSamplingIsReproducibleThroughTheServer() {
    GenerationConfig sampled =
        GenerationConfig.builder().optMaxNewTokens(16).optTemperature(0.9).optTopP(0.95)
            .optSeed(42).build();
    ChatReply inProcess = local.chat(conversation(7), sampled);
    assertEquals(inProcess.text(), client.chat(conversation(7), sampled).text());
    assertEquals(inProcess.text(), client.chat(conversation(7), sampled, d -> {}).text());
  }

  @Test
  void concurrentRequestsAreAllAnsweredLikeSequential() throws Exception {
    GenerationConfig greedy = GenerationConfig.greedy(12);
    int n = 10;
    List<String> sequential = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sequential.add(local.chat(conversation(100 + i), greedy).text());
    }
    // More clients than the server's handler threads, half of them streaming.
    try (ChatServer small =
        ChatServer.builder().setModel(local).optPort(0).optServedName("tiny")
            .optHandlerThreads(3).build().start();
        OpenAiChatModel c = new OpenAiChatModel(config(small.url()).build())) {
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int k = i;
          answers.add(pool.submit(() -> k % 2 == 0
              ? c.chat(conversation(100 + k), greedy).text()
              : c.chat(conversation(100 + k), greedy, d -> {}).text()));
        }
        for (int i = 0; i < n; i++) {
          assertEquals(sequential.get(i), answers.get(i).get(), "request " + i);
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void modelsListsTheServedName() throws Exception {
    assertEquals(List.of("tiny"), client.models());
    JsonNode models = JSON.readTree(get(server, "/v1/models").body());
    assertEquals(2048, models.at("/data/0/max_model_len").asInt());
    assertTrue(server.url().matches("http://127\\.0\\.0\\.1:\\d+/v1"), server.url());
  }

  private HttpResponse<String> post(ChatServer s, String path, String body, String key)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(s.url().replace("/v1", "") + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      r.header("Authorization", "Bearer " + key);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(ChatServer s, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(s.url().replace("/v1", "") + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Asserts an OpenAI-style error body and returns its {@code error} object. */
  private static JsonNode error(HttpResponse<String> response, int status, String param)
      throws IOException {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode error = JSON.readTree(response.body()).get("error");
    for (String field : List.of("message", "type", "param", "code")) {
      assertTrue(error.has(field), field + " missing in " + response.body());
    }
    assertEquals(param, error.get("param").isNull() ? null : error.get("param").asText(),
        response.body());
    return error;
  }

  @Test
  void badRequestsGetOpenAiStyleErrorsNamingTheField() throws Exception {
    String chat = "/v1/chat/completions";
    JsonNode e =
        error(post(server, chat, "{\"model\": \"tiny\", \"messages\": [", null), 400, null);
    assertTrue(e.get("message").asText().startsWith("the body is not valid JSON (line 1"),
        e.toString());
    assertEquals("invalid_request_error", e.get("type").asText());
    e = error(post(server, chat, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
        null), 400, "model");
    assertEquals("'model' is required", e.get("message").asText());
    e = error(post(server, chat, "{\"model\": \"tiny\"}", null), 400, "messages");
    e = error(post(server, chat, "{\"model\": \"tiny\", \"messages\": [{\"role\": \"user\","
        + " \"content\": \"hi\"}, {\"role\": \"user\", \"content\": 5}]}", null), 400,
        "messages[1].content");
    assertTrue(
        e.get("message").asText().contains("must be a string or a list of text parts, got 5"));
    String hi = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";
    e = error(post(server, chat, "{\"model\": \"tiny\", " + hi + ", \"max_tokens\": \"ten\"}",
        null), 400, "max_tokens");
    assertEquals("'max_tokens' must be an integer >= 1, got \"ten\"", e.get("message").asText());
    error(post(server, chat, "{\"model\": \"tiny\", " + hi + ", \"temperature\": 3}", null), 400,
        "temperature");
    error(post(server, chat, "{\"model\": \"tiny\", " + hi + ", \"stream\": \"yes\"}", null), 400,
        "stream");
    error(post(server, chat, "{\"model\": \"tiny\", " + hi + ", \"stop\": [\"\"]}", null), 400,
        "stop");
    error(post(server, chat, "{\"model\": \"tiny\", " + hi + ", \"n\": 2}", null), 400, "n");
    error(post(server, chat, "{\"model\": \"tiny\", " + hi + ", \"stream\": true,"
        + " \"stream_options\": {\"include_usage\": 1}}", null), 400,
        "stream_options.include_usage");
    e = error(post(server, chat, "{\"model\": \"tiny\", " + hi + ", \"max_tokens\": 5000}", null),
        400, "max_tokens");
    assertEquals("context_length_exceeded", e.get("code").asText());
    error(post(server, "/v1/completions", "{\"model\": \"tiny\", \"prompt\": [1, 2]}", null), 400,
        "prompt");
    e = error(post(server, chat, "{\"model\": \"gpt-4\", " + hi + "}", null), 404, "model");
    assertEquals("model_not_found", e.get("code").asText());
    assertEquals("the model 'gpt-4' does not exist; this server serves 'tiny'",
        e.get("message").asText());
    HttpResponse<String> wrongMethod = get(server, chat);
    e = error(wrongMethod, 405, null);
    assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));
    e = error(post(server, "/v1/embeddings", "{}", null), 404, null);
    assertEquals("unknown_url", e.get("code").asText());
  }

  @Test
  void theClientSurfacesTheServersErrorWithoutRetrying() {
    try (OpenAiChatModel wrongModel =
        new OpenAiChatModel(config(server.url()).setModel("other").build())) {
      EndpointException e =
          assertThrows(EndpointException.class,
              () -> wrongModel.chat(conversation(0), GenerationConfig.greedy(4)));
      assertEquals(404, e.status());
      assertEquals(1, e.attempts());
      assertEquals("model_not_found", e.errorCode());
      assertTrue(e.getMessage().contains("HTTP 404: the model 'other' does not exist; this server"
          + " serves 'tiny'"), e.getMessage());
    }
  }

  @Test
  void anApiKeyIsRequiredAndAWrongOneIsNotRetried() throws Exception {
    String body = "{\"model\": \"tiny\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}],"
        + " \"max_tokens\": 2}";
    JsonNode e = error(post(keyed, "/v1/chat/completions", body, null), 401, null);
    assertEquals("missing_api_key", e.get("code").asText());
    e = error(post(keyed, "/v1/chat/completions", body, "nope"), 401, null);
    assertEquals("invalid_api_key", e.get("code").asText());
    assertEquals(200, post(keyed, "/v1/chat/completions", body, KEY).statusCode());
    assertEquals(401, get(keyed, "/v1/models").statusCode());
    assertEquals(200, get(keyed, "/health").statusCode());
    try (OpenAiChatModel wrong = new OpenAiChatModel(config(keyed.url()).optApiKey("nope").build());
        OpenAiChatModel right = new OpenAiChatModel(config(keyed.url()).optApiKey(KEY).build())) {
      EndpointException ex =
          assertThrows(EndpointException.class,
              () -> wrong.chat(conversation(1), GenerationConfig.greedy(4)));
      assertEquals(401, ex.status());
      assertEquals(1, ex.attempts());
      assertTrue(ex.getMessage().contains("HTTP 401: incorrect API key"), ex.getMessage());
      assertEquals(local.chat(conversation(1), GenerationConfig.greedy(4)).text(),
          right.chat(conversation(1), GenerationConfig.greedy(4)).text());
    }
  }

  @Test
  void aModelWithoutChatTemplateRefusesChatButCompletes() throws Exception {
    try (PretrainedModel loaded = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32)) {
      // The same model and tokenizer without a template (closed once, through 'loaded').
      PretrainedModel bare = PretrainedModel.of(loaded.model(), loaded.tokenizer(), null);
      try (LocalChatModel plain = LocalChatModel.builder().setModel(bare).optName("bare").build();
          ChatServer s = ChatServer.builder().setModel(plain).optPort(0).build().start()) {
        JsonNode e = error(post(s, "/v1/chat/completions", "{\"model\": \"bare\", \"messages\":"
            + " [{\"role\": \"user\", \"content\": \"hi\"}]}", null), 400, "messages");
        assertTrue(e.get("message").asText().contains("has no chat template; use /v1/completions"));
        HttpResponse<String> ok =
            post(s, "/v1/completions", "{\"model\": \"bare\", \"prompt\": \"abc\"}", null);
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode body = JSON.readTree(ok.body());
        assertEquals("text_completion", body.get("object").asText());
        // Without max_tokens a completion gets OpenAI's default of 16 tokens.
        int completion = body.at("/usage/completion_tokens").asInt();
        String reason = body.at("/choices/0/finish_reason").asText();
        assertTrue(reason.equals("length") ? completion == 16 : completion <= 16, ok.body());
      }
    }
  }

  @Test
  void portZeroPicksAFreePortAndABusyPortIsNamed() throws IOException {
    ChatServer other = ChatServer.builder().setModel(local).optPort(server.port()).build();
    IOException e = assertThrows(IOException.class, other::start);
    assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + server.port()),
        e.getMessage());
  }
}
