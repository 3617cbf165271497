package org.tuninglab.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.generate.Generation;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.testing.TinyModelDir;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.train.ForwardPass;

class ForwardPassChatModelTest {
  private static final List<ChatMessage> ASK = List.of(ChatMessage.user("What is seven?"));

  @TempDir Path dir;

  @Test
  void greedyAnswersEqualTheCachedGenerator() throws IOException {
    TinyModelDir.write(dir, 21, TensorDType.F32, 64 << 20);
    try (PretrainedModel model = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32)) {
      ForwardPassChatModel chat =
          new ForwardPassChatModel("tiny", model, ForwardPass.of(model.model()));
      GenerationConfig greedy = GenerationConfig.greedy(12);
      Generation cached = model.chat(ASK, greedy);
      StringBuilder streamed = new StringBuilder();
      ChatReply reply = chat.chat(ASK, greedy, streamed::append);

      assertEquals(cached.text(), reply.text());
      assertEquals(reply.text(), streamed.toString());
      assertEquals(cached.tokens().length, reply.completionTokens());
      assertEquals(model.encodeChat(ASK).length, reply.promptTokens());
      assertEquals(cached.finishReason(), reply.finishReason());

      assertThrows(IllegalArgumentException.class,
          () -> chat.chat(ASK, greedy.toBuilder().optTemperature(0.7).build()));
    }
  }
}
