package org.tuninglab.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdapterFormatException;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.LoraLinear;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.PromptInit;
import org.tuninglab.peft.PromptTuningConfig;
import org.tuninglab.peft.PromptTuningModel;
import org.tuninglab.testing.TinyModelDir;
import org.tuninglab.tokenize.ChatMessage;

class LocalChatModelTest {
  private static final List<ChatMessage> ASK = List.of(ChatMessage.user("What is seven?"));
  private static final GenerationConfig GREEDY = GenerationConfig.greedy(12);

  @TempDir Path dir;

  private PretrainedModel tinyModel() throws IOException {
    Path model = dir.resolve("model");
    TinyModelDir.write(model, 21, TensorDType.F32, 64 << 20);
    return PretrainedModel.load(model, Device.cpu(), DataType.FLOAT32);
  }

  @Test
  void aBatchOfConversationsGetsTheRepliesAndCountsOfOneByOne() throws IOException {
    List<List<ChatMessage>> asks = List.of(ASK, List.of(ChatMessage.user("Name a colour, please.")),
        List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")));
    try (PretrainedModel pretrained = tinyModel();
        LocalChatModel chat = LocalChatModel.builder().setModel(pretrained).build()) {
      List<ChatReply> batch = chat.chatAll(asks, GREEDY);
      assertEquals(asks.size(), batch.size());
      for (int i = 0; i < asks.size(); i++) {
        assertEquals(chat.chat(asks.get(i), GREEDY), batch.get(i), "conversation " + i);
      }
    }
  }

  @Test
  void aLoraAdapterAnswersLikeTheAdaptedModelAndComesOffOnClose() throws IOException {
    try (PretrainedModel pretrained = tinyModel()) {
      String base = LanguageModel.of(pretrained).chat(ASK, GREEDY).text();
      Path adapter = dir.resolve("lora");
      String adapted;
      LoraConfig config = LoraConfig.builder().setR(4).setTargetModules("q_proj", "v_proj")
          .optAlpha(8).build();
      try (LoraModel lora = LoraModel.apply(pretrained.model(), config)) {
        SplittableRandom rng = new SplittableRandom(3);
        for (LoraLinear layer : lora.layers().values()) { // B = 0 would change nothing
          NDArray b = layer.loraB();
          float[] values = new float[(int) b.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = (float) rng.nextGaussian();
          }
          b.addi(b.getManager().create(values, b.getShape()));
        }
        adapted = LanguageModel.of(pretrained).chat(ASK, GREEDY).text();
        lora.save(adapter, "tiny");
      }
      assertNotEquals(base, adapted);
      try (LocalChatModel chat =
          LocalChatModel.builder().setModel(pretrained).optAdapter(adapter).build()) {
        assertEquals(adapted, chat.chat(ASK, GREEDY).text());
        assertEquals("model", chat.name());
      }
      assertEquals(base, LanguageModel.of(pretrained).chat(ASK, GREEDY).text());
    }
  }

  @Test
  void aPromptTuningAdapterLeadsEveryPromptLikeItsTrainingForward() throws IOException {
    try (PretrainedModel pretrained = tinyModel()) {
      Path adapter = dir.resolve("prompt");
      PromptTuningConfig config =
          PromptTuningConfig.builder().setNumVirtualTokens(8).optInit(PromptInit.SAMPLE_VOCAB)
              .optSeed(5).build();
      int[] prompt = pretrained.encodeChat(ASK);
      List<Integer> reference = new ArrayList<>();
      try (PromptTuningModel tuned = PromptTuningModel.create(pretrained.model(), config, null)) {
        tuned.save(adapter, "tiny");
        // Greedy decoding through the training forward pass (no cache), one token at a time.
        int[] ids = prompt;
        for (int step = 0; step < GREEDY.maxNewTokens(); step++) {
          try (NDManager scope = pretrained.model().manager().newSubManager()) {
            long[] input = Arrays.stream(ids).asLongStream().toArray();
            NDArray logits = tuned.logits(scope.create(input).reshape(1, ids.length), null);
            int next = (int) logits.get("0, -1, :").argMax().getLong();
            if (pretrained.tokenizer().specialTokens().isEos(next)) {
              break;
            }
            reference.add(next);
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = next;
          }
        }
      }
      String expected =
          pretrained.tokenizer().decode(reference.stream().mapToInt(i -> i).toArray(), true);
      try (LocalChatModel chat =
          LocalChatModel.builder().setModel(pretrained).optAdapter(adapter).build()) {
        ChatReply reply = chat.chat(ASK, GREEDY);
        assertEquals(expected, reply.text());
        assertEquals(prompt.length, reply.promptTokens()); // virtual tokens are not counted
        assertEquals(2048 - 8, chat.maxContextTokens());
      }
      assertNotEquals(expected, LanguageModel.of(pretrained).chat(ASK, GREEDY).text());
    }
  }

  @Test
  void anAdapterOfAnotherTypeIsNamed() throws IOException {
    try (PretrainedModel pretrained = tinyModel()) {
      Path adapter = Files.createDirectories(dir.resolve("ia3"));
      Files.writeString(adapter.resolve("adapter_config.json"), "{\"peft_type\": \"IA3\"}");
      AdapterFormatException e =
          assertThrows(AdapterFormatException.class,
              () -> LocalChatModel.builder().setModel(pretrained).optAdapter(adapter).build());
      assertEquals(adapter.resolve("adapter_config.json")
          + ": field 'peft_type' must be \"LORA\" or \"PROMPT_TUNING\", got \"IA3\"",
          e.getMessage());
    }
  }

  @Test
  void concurrentCallersGetTheSameRepliesAsOneAtATime() throws Exception {
    try (PretrainedModel pretrained = tinyModel();
        LocalChatModel chat = LocalChatModel.builder().setModel(pretrained).build()) {
      List<String> sequential = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        sequential.add(chat.chat(List.of(ChatMessage.user("n" + i)), GREEDY).text());
      }
      List<Thread> threads = new ArrayList<>();
      String[] parallel = new String[4];
      for (int i = 0; i < 4; i++) {
        int k = i;
        threads.add(new Thread(() ->
            parallel[k] = chat.chat(List.of(ChatMessage.user("n" + k)), GREEDY).text()));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(sequential, List.of(parallel));
      assertTrue(chat.chat(ASK, GREEDY).completionTokens() > 0);
    }
  }
}
