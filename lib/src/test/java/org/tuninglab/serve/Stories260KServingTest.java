package org.tuninglab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.chat.OpenAiChatModel;
import org.tuninglab.chat.OpenAiConfig;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.model.Llama2cCheckpoint;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.testing.SharedFiles;
import org.tuninglab.tokenize.Llama2cTokenizer;

/** A real trained model through the server: the story its authors documented, streamed. */
class Stories260KServingTest {
  @Test
  void theDocumentedStoryComesBackThroughHttp() throws IOException {
    Llama2cCheckpoint ckpt =
        Llama2cCheckpoint.read(SharedFiles.require("models/stories260K/stories260K.bin"));
    Llama2cTokenizer tokenizer =
        Llama2cTokenizer.load(SharedFiles.require("models/stories260K/tok512.bin"));
    // llama2.c stops at the next BOS; stop_token_ids carries that over HTTP.
    GenerationConfig config =
        GenerationConfig.builder().optMaxNewTokens(256)
            .optStopTokenIds(Set.of(Llama2cTokenizer.BOS)).build();
    LlamaModel llama = LlamaModel.create(ckpt.config(), ckpt, Device.cpu(), DataType.FLOAT32);
    try (PretrainedModel model = PretrainedModel.of(llama, tokenizer, null);
        LocalChatModel local = LocalChatModel.builder().setModel(model).optName("stories").build();
        ChatServer server = ChatServer.builder().setModel(local).optPort(0).build().start();
        OpenAiChatModel client =
            new OpenAiChatModel(OpenAiConfig.builder().setModel("stories")
                .optBaseUrl(server.url()).build())) {
      StringBuilder streamed = new StringBuilder();
      ChatReply reply = client.complete("", config, streamed::append);
      assertEquals(reply.text(), streamed.toString());
      assertEquals(local.complete("", config, d -> {}), client.complete("", config));
      String text = reply.text().strip();
      String documented = org.tuninglab.generate.Stories260KTest.DOCUMENTED;
      int common = Math.min(documented.length(), text.length());
      assertEquals(documented.substring(0, common), text.substring(0, common));
      assertTrue(common > 550, "compared " + common + " characters");
      assertEquals(1, reply.promptTokens()); // BOS
    }
  }
}
