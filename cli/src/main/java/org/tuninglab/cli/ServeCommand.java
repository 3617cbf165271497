package org.tuninglab.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.serve.ChatServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tuninglab serve}: a model (and adapter) behind an OpenAI-compatible HTTP API. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a model, optionally with a PEFT adapter, over an OpenAI-compatible HTTP API:",
      "POST /v1/chat/completions, POST /v1/completions (stream true/false), GET /v1/models.",
      "One worker generates; concurrent requests queue in arrival order. Ctrl-C stops.",
      "An API key, if wanted, comes from TUNINGLAB_API_KEY or --api-key-file (never the command"
          + " line, where other users could read it)."
    })
final class ServeCommand implements Callable<Integer> {
  static final String API_KEY_ENV = "TUNINGLAB_API_KEY";

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true,
      description = "Model directory or Hub name (e.g. Qwen/Qwen2.5-0.5B-Instruct).")
  String model;

  @Option(names = "--adapter", description = "A PEFT adapter directory (LoRA or prompt tuning).")
  Path adapter;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(names = "--port", defaultValue = "8000",
      description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--served-name",
      description = "The model name clients send (default: the --model argument).")
  String servedName;

  @Option(names = "--api-key-file",
      description = "A file holding the API key clients must send (overrides " + API_KEY_ENV + ").")
  Path apiKeyFile;

  /**
   * Taken only to refuse it: without this option picocli would report "--api-key SECRET" as an
   * unmatched argument, echoing the secret to the terminal and its logs.
   */
  @Option(names = "--api-key", hidden = true)
  String apiKeyOnCommandLine;

  @Option(names = "--default-max-tokens", defaultValue = "512",
      description = "Reply length for chat requests without max_tokens"
          + " (default: ${DEFAULT-VALUE}).")
  int defaultMaxTokens;

  @Option(names = "--device", description = "cpu or gpu (default: the engine's default device).")
  String device;

  @Option(names = "--dtype", description = "fp32 or fp16 (default: fp32 on CPU, fp16 on GPU).")
  String dtype;

  /** The environment the key is read from; tests substitute their own. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    if (apiKeyOnCommandLine != null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--api-key is not taken on the command line, where other users could read it; put the"
              + " key in " + API_KEY_ENV + " or a file named by --api-key-file");
    }
    String key = apiKey();
    Device dev = device == null ? Engine.getInstance().defaultDevice() : Device.fromName(device);
    DataType type = DeviceOptions.dtype(dtype, dev);
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    try (LocalChatModel chat = LocalChatModel.load(model, adapter, dev, type);
        ChatServer server =
            ChatServer.builder().setModel(chat).optHost(host).optPort(port)
                .optServedName(servedName).optApiKey(key).optDefaultMaxTokens(defaultMaxTokens)
                .build().start()) {
      // Ctrl-C: stop the server (its worker ends after the current token) before the model closes.
      Thread hook = new Thread(() -> {
        server.close();
        chat.close();
        stopped.countDown();
      }, "tuninglab-serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.printf("Serving '%s'%s on %s at %s%n", server.servedName(),
          adapter == null ? "" : " with adapter " + adapter, dev, server.url());
      out.printf("  POST %s/chat/completions, POST %s/completions, GET %s/models; API key %s%n",
          server.url(), server.url(), server.url(), key == null ? "not required" : "required");
      out.println(
          "  OPENAI_BASE_URL=" + server.url() + " lets OpenAI clients call it. Ctrl-C stops.");
      out.flush();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Runtime.getRuntime().removeShutdownHook(hook); // stopped from within the JVM
      }
    }
    return 0;
  }

  /** The key from --api-key-file, else the environment, else none. */
  String apiKey() throws IOException {
    if (apiKeyFile != null) {
      String key;
      try {
        key = Files.readString(apiKeyFile).strip();
      } catch (NoSuchFileException e) {
        throw new IOException("--api-key-file " + apiKeyFile + ": no such file");
      }
      if (key.isEmpty() || key.contains("\n")) {
        throw new IllegalArgumentException(
            "--api-key-file " + apiKeyFile + ": expected one line holding the key, got "
                + (key.isEmpty() ? "an empty file" : "several lines"));
      }
      return key;
    }
    String key = env.get(API_KEY_ENV);
    if (key != null && key.isBlank()) {
      // An empty variable is a key that failed to arrive (an unset secret in a script), not a wish
      // to serve without one.
      throw new IllegalArgumentException(
          API_KEY_ENV + " is set but empty; give it the key, or unset it to serve without one");
    }
    return key == null ? null : key.strip();
  }
}
