package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.serve.ChatServer;

/**
 * {@code tuninglab bench serve --abuse}: how the server holds up against hostile clients, on
 * loopback only and bounded in time. Measures a small completion's latency unloaded, then while 16
 * clients trickle request headers a byte at a time, then while one client also keeps the largest
 * prompt the server still tokenises in flight; then checks that requests after the abuse get the
 * same greedy text as in-process, and reports the process's resident memory before and after.
 */
public final class AbuseBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SMALL_PROMPTS = {
    "Once upon a time", "The dog ran to", "Lily had a red", "One day, Tom", "The sun was"
  };

  /**
   * @param model the model folder to serve (the embedded tuninglab-tiny by default)
   * @param slowClients connections that send headers slowly and never finish them
   * @param samples small requests timed in each phase
   * @param maxTokens tokens each small request generates
   */
  public record Settings(Path model, int slowClients, int samples, int maxTokens) {}

  /**
   * @param unloadedP50 median small-request latency alone, milliseconds
   * @param unloadedP99 99th percentile alone
   * @param loadedP50 median under abuse
   * @param loadedP99 99th percentile under abuse
   * @param slowOnlyP50 median with the slow clients alone (no maximal prompts yet)
   * @param slowOnlyP99 99th percentile with the slow clients alone
   * @param maximalPrompts largest-prompt requests sent during the abuse
   * @param maxPromptChars the characters of each (the server's limit)
   * @param correctAfter requests after the abuse answered with the in-process text
   * @param checkedAfter requests sent after the abuse
   * @param rssBeforeMiB resident memory after loading and warm-up
   * @param rssAfterMiB resident memory after the abuse
   */
  public record Result(
      double unloadedP50,
      double unloadedP99,
      double loadedP50,
      double loadedP99,
      double slowOnlyP50,
      double slowOnlyP99,
      int maximalPrompts,
      long maxPromptChars,
      int correctAfter,
      int checkedAfter,
      long rssBeforeMiB,
      long rssAfterMiB) {}

  private AbuseBenchmark() {}

  public static Result run(Settings s, PrintStream log) throws IOException, InterruptedException {
    if (!Files.isDirectory(s.model())) {
      throw new IOException(s.model() + ": not found; run from the repository root or pass --model");
    }
    GenerationConfig greedy = GenerationConfig.greedy(s.maxTokens());
    try (LocalChatModel local =
            LocalChatModel.load(s.model().toString(), null, Device.cpu(), DataType.FLOAT32);
        ChatServer server = ChatServer.builder().setModel(local).optPort(0).optServedName("m")
            .build().start()) {
      List<String> expected = new ArrayList<>();
      for (String p : SMALL_PROMPTS) {
        expected.add(local.complete(p, greedy, d -> {}).text());
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      URI completions = URI.create(server.url() + "/completions");
      for (int i = 0; i < 10; i++) { // warm-up: JIT, allocator, connection
        small(http, completions, SMALL_PROMPTS[i % SMALL_PROMPTS.length], s.maxTokens());
      }
      long rssBefore = rssMiB();
      log.printf("abuse: %s on 127.0.0.1:%d, context %d tokens, prompts refused untokenised above"
              + " %,d characters, body cap %,d bytes%n", s.model(), server.port(),
          local.maxContextTokens(), server.maxPromptChars(), server.maxBodyBytes());

      List<Double> unloaded = latencies(http, completions, s);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger maximal = new AtomicInteger();
      List<Thread> abusers = new ArrayList<>();
      for (int i = 0; i < s.slowClients(); i++) {
        abusers.add(daemon(() -> trickle(server.port(), stop)));
      }
      Thread.sleep(500); // let the slow clients connect
      List<Double> slowOnly = latencies(http, completions, s);
      String huge = "the dog ran after the red ball. ".repeat(
          (int) (server.maxPromptChars() / 32 + 1)).substring(0, (int) server.maxPromptChars());
      abusers.add(daemon(() -> {
        for (int i = 0; i < 10_000 && !stop.get(); i++) { // bounded: stops with the phase
          try {
            http.send(HttpRequest.newBuilder(completions).timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                    .put("model", "m").put("prompt", huge).put("max_tokens", 1).toString()))
                .build(), HttpResponse.BodyHandlers.discarding());
            maximal.incrementAndGet();
          } catch (IOException | InterruptedException e) {
            return;
          }
        }
      }));
      Thread.sleep(500); // let the first huge prompt arrive
      List<Double> loaded = latencies(http, completions, s);
      stop.set(true);
      for (Thread t : abusers) {
        t.join(30_000);
      }
      int correct = 0;
      int checked = 0;
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < SMALL_PROMPTS.length; i++) {
          checked++;
          JsonNode r = small(http, completions, SMALL_PROMPTS[i], s.maxTokens());
          if (r != null && expected.get(i).equals(r.path("choices").path(0).path("text").asText())) {
            correct++;
          }
        }
      }
      Result result = new Result(
          percentile(unloaded, 0.50), percentile(unloaded, 0.99), percentile(loaded, 0.50),
          percentile(loaded, 0.99), percentile(slowOnly, 0.50), percentile(slowOnly, 0.99),
          maximal.get(), server.maxPromptChars(), correct, checked,
          rssBefore, rssMiB());
      log.printf("  small request (%d tokens), %d samples a phase, latency p50 / p99:%n",
          s.maxTokens(), s.samples());
      log.printf("    unloaded                                   %7.1f / %7.1f ms%n",
          result.unloadedP50(), result.unloadedP99());
      log.printf("    %2d slow clients                            %7.1f / %7.1f ms (%.2fx / %.2fx)%n",
          s.slowClients(), result.slowOnlyP50(), result.slowOnlyP99(),
          result.slowOnlyP50() / result.unloadedP50(), result.slowOnlyP99() / result.unloadedP99());
      log.printf("    %2d slow clients + a maximal prompt always  %7.1f / %7.1f ms (%.2fx / %.2fx);"
              + " %d maximal prompts sent%n", s.slowClients(), result.loadedP50(),
          result.loadedP99(), result.loadedP50() / result.unloadedP50(),
          result.loadedP99() / result.unloadedP99(), result.maximalPrompts());
      log.printf("  after the abuse: %d/%d requests answered with the in-process text;"
              + " RSS %d MiB before, %d MiB after%n", result.correctAfter(),
          result.checkedAfter(), result.rssBeforeMiB(), result.rssAfterMiB());
      return result;
    }
  }

  private static JsonNode small(HttpClient http, URI uri, String prompt, int maxTokens)
      throws IOException, InterruptedException {
    String body = JSON.createObjectNode().put("model", "m").put("prompt", prompt)
        .put("max_tokens", maxTokens).put("temperature", 0).toString();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  private static List<Double> latencies(HttpClient http, URI uri, Settings s)
      throws IOException, InterruptedException {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < s.samples(); i++) {
      long start = System.nanoTime();
      if (small(http, uri, SMALL_PROMPTS[i % SMALL_PROMPTS.length], s.maxTokens()) == null) {
        throw new IllegalStateException("a small request failed during the benchmark");
      }
      millis.add((System.nanoTime() - start) / 1e6);
    }
    return millis;
  }

  /** Sends a request line and then one header byte every 200 ms until stopped (at most 5 min). */
  private static void trickle(int port, AtomicBoolean stop) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = s.getOutputStream();
      out.write("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (int i = 0; i < 1_500 && !stop.get(); i++) {
        out.write('a');
        out.flush();
        Thread.sleep(200);
      }
    } catch (IOException | InterruptedException e) {
      // closed by the server: also a way to survive
    }
  }

  private static Thread daemon(Runnable body) {
    Thread t = new Thread(body, "tuninglab-abuse");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Nearest-rank percentile. */
  private static double percentile(List<Double> values, double q) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
  }

  /** This process's resident set from /proc (Linux), MiB; -1 elsewhere. */
  private static long rssMiB() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
      }
    }
    return -1;
  }
}
