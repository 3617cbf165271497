package org.tuninglab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.corpus.PretrainingMix;
import org.tuninglab.data.synthetic.ShippedDatasets;
import org.tuninglab.tokenize.ByteLevelBpe;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.ChatTemplate;

/** The chats of a rendered corpus come back as the turns that were rendered; bad chats are named. */
class ChatCorpusTest {
  private static final String SEP = "<|endoftext|>";

  @TempDir Path tmp;

  @Test
  void chatsBecomeConversationsAndPlainTextIsSkipped() throws IOException {
    Path file = write("""
        Once upon a time Anna met Leo.
        <|endoftext|>
        <|im_start|>system
        Be brief.<|im_end|>
        <|im_start|>user
        Hi

        there<|im_end|>
        <|im_start|>assistant
        Hello.<|im_end|>
        <|im_start|>user
        Again?<|im_end|>
        <|im_start|>assistant
        Yes.<|im_end|>
        <|endoftext|>
        """);
    List<Example> chats = ChatCorpus.load(file, SEP);
    assertEquals(1, chats.size());
    Conversation c = (Conversation) chats.get(0);
    assertEquals(List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi\n\nthere"),
        new ChatMessage("assistant", "Hello."), new ChatMessage("user", "Again?"),
        new ChatMessage("assistant", "Yes.")), c.messages());
    assertEquals("c.txt:3", c.origin());
  }

  @Test
  void theShippedMixsChatsRenderBackToTheirDocuments() throws IOException {
    Path mix = ShippedDatasets.FOLDER.resolve(PretrainingMix.FOLDER).resolve("holdout.txt");
    ChatTemplate chatml = ChatTemplate.of(ByteLevelBpe.CHATML_TEMPLATE, null, "<|im_end|>");
    List<String> docs = TextCorpus.documents(mix, SEP).stream().filter(d -> d.contains("<|im_start|>")).toList();
    List<Example> chats = ChatCorpus.load(mix, SEP);
    assertEquals(docs.size(), chats.size());
    assertTrue(chats.size() >= 200, "the holdout's chats: " + chats.size());
    for (int i = 0; i < docs.size(); i++) {
      assertEquals(docs.get(i) + "\n", chatml.render(((Conversation) chats.get(i)).messages(), false));
    }
  }

  @Test
  void aChatWithTextOutsideItsTurnsIsRefusedWithItsLine() throws IOException {
    Path file = write("""
        A story.
        <|endoftext|>
        <|im_start|>user
        Hi<|im_end|>
        stray words
        <|im_start|>assistant
        Hello.<|im_end|>
        <|endoftext|>
        """);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ChatCorpus.load(file, SEP));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("c.txt") && e.getMessage().contains("text outside the turns"),
        e.getMessage());
  }

  @Test
  void aChatWithoutAnAnswerOrWithAnUnknownRoleIsRefused() throws IOException {
    Path noAnswer = write("<|im_start|>user\nHi<|im_end|>\n<|endoftext|>\n");
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ChatCorpus.load(noAnswer, SEP));
    assertTrue(e.getMessage().contains("no assistant turn"), e.getMessage());
    Path empty = write("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n <|im_end|>\n<|endoftext|>\n");
    e = assertThrows(DatasetFormatException.class, () -> ChatCorpus.load(empty, SEP));
    assertTrue(e.getMessage().contains("turn 2") && e.getMessage().contains("empty"), e.getMessage());
    Path role = write("<|im_start|>robot\nHi<|im_end|>\n<|im_start|>assistant\nOk<|im_end|>\n<|endoftext|>\n");
    e = assertThrows(DatasetFormatException.class, () -> ChatCorpus.load(role, SEP));
    assertTrue(e.getMessage().contains("robot"), e.getMessage());
  }

  @Test
  void aCorpusWithoutChatsIsRefused() throws IOException {
    Path stories = write("One story.\n<|endoftext|>\nAnother.\n<|endoftext|>\n");
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ChatCorpus.load(stories, SEP));
    assertTrue(e.getMessage().contains("no chat"), e.getMessage());
  }

  private Path write(String text) throws IOException {
    Path file = tmp.resolve("c.txt");
    Files.writeString(file, text);
    return file;
  }
}
