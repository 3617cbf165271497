package org.tuninglab.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tuninglab.generate.Generation;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.generate.Generator;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.generate.TokenListener;
import org.tuninglab.model.Llama2cCheckpoint;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.Llama2cTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tuninglab generate}: stream a model's continuation of a prompt to the terminal. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate text from a model directory, a Hub name, or a llama2.c checkpoint.")
public final class GenerateCommand implements Callable<Integer> {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--model", description = "Model directory or Hub name (e.g. Qwen/Qwen2.5-0.5B-Instruct).")
    String model;

    @Option(names = "--llama2c", description = "A llama2.c model.bin (needs --tokenizer).")
    Path llama2c;
  }

  @Option(names = "--tokenizer", description = "llama2.c tokenizer .bin, with --llama2c.")
  Path llama2cTokenizer;

  @Option(names = "--prompt", defaultValue = "", description = "The prompt (default: empty, i.e. start from BOS).")
  String prompt;

  @Option(names = "--chat", description = "Apply the model's chat template to the prompt as a user turn.")
  boolean chat;

  @Option(names = "--system", description = "System message, with --chat.")
  String system;

  @Option(names = "--max-new-tokens", defaultValue = "128")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default).")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0")
  int topK;

  @Option(names = "--top-p", defaultValue = "1.0")
  double topP;

  @Option(names = "--seed", defaultValue = "0")
  long seed;

  @Option(names = "--stop", description = "Stop string (repeatable).")
  List<String> stop = new ArrayList<>();

  @Option(names = "--device", description = "cpu or gpu (default: the engine's default device).")
  String device;

  @Option(names = "--dtype", description = "fp32 or fp16 (default: fp32 on CPU, fp16 on GPU).")
  String dtype;

  @Override
  public Integer call() throws Exception {
    Device dev = device == null ? Engine.getInstance().defaultDevice() : Device.fromName(device);
    DataType type = DeviceOptions.dtype(dtype, dev);
    GenerationConfig config =
        GenerationConfig.builder().optMaxNewTokens(maxNewTokens).optTemperature(temperature)
            .optTopK(topK).optTopP(topP).optSeed(seed).optStopStrings(stop).build();
    try (PretrainedModel pretrained = open(dev, type)) {
      TokenListener stream = (seq, token, delta) -> {
        System.out.print(delta);
        System.out.flush();
      };
      int[] ids;
      if (chat) {
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
          messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        ids = pretrained.encodeChat(messages);
      } else {
        ids = pretrained.tokenizer().encode(prompt, true);
      }
      Generation g =
          new Generator(pretrained.model(), pretrained.tokenizer())
              .generate(List.of(ids), config, stream).get(0);
      System.out.println();
      System.err.printf("[%d prompt tokens, %d generated, finished: %s]%n",
          ids.length, g.tokens().length, g.finishReason());
    }
    return 0;
  }

  private PretrainedModel open(Device dev, DataType type) throws java.io.IOException {
    if (source.model != null) {
      return LanguageModel.loadPretrained(source.model, dev, type);
    }
    if (llama2cTokenizer == null) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--llama2c needs --tokenizer (a llama2.c tokenizer .bin)");
    }
    Llama2cCheckpoint checkpoint = Llama2cCheckpoint.read(source.llama2c);
    LlamaModel model = LlamaModel.create(checkpoint.config(), checkpoint, dev, type);
    return PretrainedModel.of(model, Llama2cTokenizer.load(llama2cTokenizer), null);
  }
}
