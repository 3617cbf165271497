package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.EndpointException;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.chat.OpenAiChatModel;
import org.tuninglab.chat.OpenAiConfig;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.model.Architecture;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.model.RandomWeights;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.HfTokenizer;
import picocli.CommandLine;

/** {@code tuninglab serve} started as a user would, then called by the OpenAI client. */
class ServeCommandTest {
  @TempDir Path dir;

  /** A tiny random Qwen2-style model with the library's test tokenizer (ChatML template). */
  private Path tinyModel() throws IOException {
    Path model = dir.resolve("tiny");
    Files.createDirectories(model);
    Path fixture = Path.of("..", "lib", "src", "test", "resources", "tokenize", "bpe");
    for (String f : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
      Files.copy(fixture.resolve(f), model.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    ModelConfig config =
        ModelConfig.builder().optArchitecture(Architecture.QWEN2).setVocabSize(272)
            .setHiddenSize(32).setIntermediateSize(48).setNumLayers(2).setNumHeads(4)
            .optNumKvHeads(2).optTieWordEmbeddings(true).build();
    try (PretrainedModel m = PretrainedModel.of(
        LlamaModel.create(config, RandomWeights.everywhere(4, 0.2), Device.cpu(), DataType.FLOAT32),
        HfTokenizer.load(model), null)) {
      m.save(model, TensorDType.F32, 64 << 20);
    }
    return model;
  }

  @Test
  void servesUntilInterruptedWithTheKeyFromAFile() throws Exception {
    Path model = tinyModel();
    Path keyFile = Files.writeString(dir.resolve("key"), "s3cret\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = TuningLab.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    int[] code = {-1};
    Thread serving = new Thread(() -> code[0] = cmd.execute("serve", "--model", model.toString(),
        "--port", "0", "--served-name", "tiny", "--api-key-file", keyFile.toString()));
    serving.start();
    Matcher url = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/v1)").matcher("");
    for (int i = 0; i < 600 && !url.reset(out.toString()).find(); i++) {
      Thread.sleep(100);
    }
    assertTrue(url.reset(out.toString()).find(), out + "\n" + err);
    assertTrue(out.toString().contains("API key required"), out.toString());
    List<ChatMessage> ask = List.of(ChatMessage.user("hi there"));
    GenerationConfig greedy = GenerationConfig.greedy(10);
    OpenAiConfig.Builder settings = OpenAiConfig.builder().setModel("tiny")
        .optBaseUrl(url.group(1)).optInitialBackoff(Duration.ofMillis(10));
    try (OpenAiChatModel client = new OpenAiChatModel(settings.optApiKey("s3cret").build());
        OpenAiChatModel intruder = new OpenAiChatModel(settings.optApiKey("guess").build());
        LocalChatModel local = LocalChatModel.load(model.toString(), null, Device.cpu(),
            DataType.FLOAT32)) {
      ChatReply remote = client.chat(ask, greedy, d -> {});
      assertEquals(local.chat(ask, greedy).text(), remote.text());
      EndpointException e = assertThrows(EndpointException.class, () -> intruder.chat(ask, greedy));
      assertEquals(401, e.status());
      assertEquals(1, e.attempts());
    } finally {
      serving.interrupt();
      serving.join(30_000);
    }
    assertEquals(0, code[0], err.toString());
  }

  @Test
  void anEmptyKeyFileOrAMissingOneIsNamed() throws IOException {
    ServeCommand serve = new ServeCommand();
    serve.apiKeyFile = Files.writeString(dir.resolve("empty"), "  \n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, serve::apiKey);
    assertEquals("--api-key-file " + serve.apiKeyFile + ": expected one line holding the key, got"
        + " an empty file", e.getMessage());
    serve.apiKeyFile = dir.resolve("absent");
    IOException missing = assertThrows(IOException.class, serve::apiKey);
    assertEquals("--api-key-file " + serve.apiKeyFile + ": no such file", missing.getMessage());
    serve.apiKeyFile = null;
    serve.env = Map.of("TUNINGLAB_API_KEY", " from-env ");
    assertEquals("from-env", serve.apiKey());
    serve.env = Map.of();
    assertEquals(null, serve.apiKey());
    serve.env = Map.of("TUNINGLAB_API_KEY", "");
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, serve::apiKey);
    assertTrue(empty.getMessage().startsWith("TUNINGLAB_API_KEY is set but empty"));
  }

  @Test
  void aBusyPortIsAnInputErrorNotAStackTrace() throws Exception {
    Path model = tinyModel();
    try (java.net.ServerSocket busy =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      int code = TuningLab.commandLine().setErr(new PrintWriter(err, true))
          .execute("serve", "--model", model.toString(), "--port",
              String.valueOf(busy.getLocalPort()));
      assertEquals(2, code);
      assertTrue(err.toString().startsWith("tuninglab serve: cannot listen on 127.0.0.1:"
          + busy.getLocalPort()), err.toString());
    }
  }

  @Test
  void aKeyGivenOnTheCommandLineIsRefusedWithoutEchoingIt() {
    for (List<String> args : List.of(
        List.of("serve", "--model", "m", "--api-key", "SECRET-123"),
        List.of("serve", "--model", "m", "--api-key=SECRET-123"),
        List.of("serve", "--api-key", "SECRET-123", "--bogus"))) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = TuningLab.commandLine().setOut(new PrintWriter(out, true))
          .setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new));
      assertTrue(code != 0, args.toString());
      assertTrue(!(out + err.toString()).contains("SECRET-123"), out + "\n" + err);
    }
  }
}
