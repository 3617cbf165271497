package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.chat.OpenAiChatModel;
import org.tuninglab.chat.OpenAiConfig;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.serve.ChatServer;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.ChatTemplate;

/**
 * {@code tuninglab bench serve}: the same prompts, greedy, on the same model, answered in-process
 * ({@link LocalChatModel}) and through {@code ./tuninglab serve}'s HTTP server on loopback (plain,
 * streamed, and several clients at once), interleaved request by request so that all modes see the
 * same machine load (the order of the three sequential modes rotates from request to request).
 * Prints tokens/s for each and its ratio to in-process.
 */
public final class ServingBenchmark {
  private static final String CHATML =
      "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
          + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

  /**
   * @param prompts distinct conversations per round
   * @param maxTokens tokens generated per reply (the benchmark tokenizer has no end token)
   * @param rounds timed rounds over all prompts, after one untimed warm-up round
   * @param clients concurrent HTTP clients in the queued mode
   */
  public record Settings(int prompts, int maxTokens, int rounds, int clients) {}

  /**
   * @param inProcess tokens/s of {@link LocalChatModel} called directly
   * @param http tokens/s through HTTP without streaming
   * @param streamed tokens/s through HTTP with server-sent events
   * @param concurrent tokens/s with {@code clients} HTTP clients at once (one worker serves all)
   * @param overheadMillis mean extra milliseconds a plain HTTP request took over in-process
   * @param medianHttpRatio the median over prompts and rounds of in-process time / plain HTTP
   *     time for the same request (robust to load spikes on a shared machine)
   * @param medianStreamedRatio the same for streamed HTTP
   * @param sameText whether every mode gave every prompt the same greedy text
   */
  public record Result(
      long parameters,
      double inProcess,
      double http,
      double streamed,
      double concurrent,
      double overheadMillis,
      double medianHttpRatio,
      double medianStreamedRatio,
      boolean sameText) {

    public double httpRatio() {
      return http / inProcess;
    }

    public double streamedRatio() {
      return streamed / inProcess;
    }

    public double concurrentRatio() {
      return concurrent / inProcess;
    }
  }

  private ServingBenchmark() {}

  /** Runs on {@link ModelBenchmark#BENCH_CONFIG} with random weights. */
  public static Result run(Settings s, PrintStream log) throws IOException, InterruptedException {
    return run(ModelBenchmark.BENCH_CONFIG, s, log);
  }

  public static Result run(ModelConfig config, Settings s, PrintStream log)
      throws IOException, InterruptedException {
    Engine engine = Engine.getInstance();
    int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    log.printf(
        "serving: %,d-parameter random-weight Llama (D=%d, layers=%d), fp32 on %s, %d threads;"
            + " %d prompts x %d tokens, greedy, %d rounds interleaved, %d concurrent clients%n",
        config.parameterCount(), config.hiddenSize(), config.numLayers(), engine.defaultDevice(),
        threads, s.prompts(), s.maxTokens(), s.rounds(), s.clients());
    GenerationConfig greedy = GenerationConfig.greedy(s.maxTokens());
    List<List<ChatMessage>> prompts = new ArrayList<>();
    for (int i = 0; i < s.prompts(); i++) {
      prompts.add(List.of(ChatMessage.system("You are a storyteller."),
          ChatMessage.user("Tell story number " + i + " about a dog and a ball.")));
    }
    LlamaModel llama = LlamaModel.create(
        config, RandomWeights.forTraining(0, 0.02), Device.cpu(), DataType.FLOAT32);
    try (PretrainedModel pretrained =
            PretrainedModel.of(llama, new AsciiTokenizer(config.vocabSize()),
                ChatTemplate.of(CHATML, null, null));
        LocalChatModel local =
            LocalChatModel.builder().setModel(pretrained).optName("bench").build();
        ChatServer server = ChatServer.builder().setModel(local).optPort(0).build().start();
        OpenAiChatModel client =
            new OpenAiChatModel(OpenAiConfig.builder().setModel("bench").optBaseUrl(server.url())
                .optMaxAttempts(1).optReadTimeout(Duration.ofMinutes(5)).build())) {
      // Warm-up: the JIT, libtorch's allocator and the HTTP connections, in every mode.
      for (List<ChatMessage> p : prompts.subList(0, Math.min(2, prompts.size()))) {
        local.chat(p, greedy);
        client.chat(p, greedy);
        client.chat(p, greedy, d -> {});
      }
      double[] seconds = new double[4];
      List<Double> httpRatios = new ArrayList<>();
      List<Double> streamedRatios = new ArrayList<>();
      long[] tokens = new long[4];
      boolean same = true;
      int order = 0;
      ExecutorService pool = Executors.newFixedThreadPool(s.clients());
      try {
        for (int round = 0; round < s.rounds(); round++) {
          for (List<ChatMessage> p : prompts) {
            String[] texts = new String[3];
            double[] took = new double[3];
            // Rotate which mode goes first, so no mode always follows the concurrent burst.
            for (int k = 0; k < 3; k++) {
              int mode = (k + order++) % 3;
              long start = System.nanoTime();
              ChatReply r = switch (mode) {
                case 0 -> local.chat(p, greedy);
                case 1 -> client.chat(p, greedy);
                default -> client.chat(p, greedy, d -> {});
              };
              took[mode] = (System.nanoTime() - start) / 1e9;
              seconds[mode] += took[mode];
              tokens[mode] += r.completionTokens();
              texts[mode] = r.text();
            }
            httpRatios.add(took[0] / took[1]);
            streamedRatios.add(took[0] / took[2]);
            same &= texts[0].equals(texts[1]) && texts[0].equals(texts[2]);
          }
          long start = System.nanoTime();
          List<Future<ChatReply>> answers = new ArrayList<>();
          for (List<ChatMessage> p : prompts) {
            answers.add(pool.submit(() -> client.chat(p, greedy)));
          }
          for (Future<ChatReply> a : answers) {
            tokens[3] += a.get().completionTokens();
          }
          seconds[3] += (System.nanoTime() - start) / 1e9;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(
            "a concurrent request failed: " + e.getCause(), e.getCause());
      } finally {
        pool.shutdown();
      }
      int requests = s.rounds() * s.prompts();
      Result result = new Result(
          config.parameterCount(), tokens[0] / seconds[0], tokens[1] / seconds[1],
          tokens[2] / seconds[2], tokens[3] / seconds[3],
          (seconds[1] - seconds[0]) * 1000 / requests, median(httpRatios),
          median(streamedRatios), same);
      log.printf("  %-34s %10s %14s %14s%n", "mode", "tokens/s", "vs in-process", "median paired");
      row(log, "in-process (LocalChatModel)", result.inProcess(), 1.0, "1.000x");
      row(log, "HTTP, plain JSON", result.http(), result.httpRatio(),
          String.format("%.3fx", result.medianHttpRatio()));
      row(log, "HTTP, streamed (SSE)", result.streamed(), result.streamedRatio(),
          String.format("%.3fx", result.medianStreamedRatio()));
      row(log, "HTTP, " + s.clients() + " clients at once (queued)", result.concurrent(),
          result.concurrentRatio(), "");
      log.printf("  HTTP overhead: %.2f ms a request (%d requests of %d tokens each mode);"
              + " greedy texts identical in every mode: %s%n",
          result.overheadMillis(), requests, s.maxTokens(), same ? "yes" : "NO");
      return result;
    }
  }

  private static void row(PrintStream log, String mode, double rate, double ratio, String paired) {
    log.printf("  %-34s %10.1f %13.3fx %14s%n", mode, rate, ratio, paired);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
