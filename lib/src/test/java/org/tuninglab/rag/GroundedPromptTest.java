package org.tuninglab.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.chat.ChatModel;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.chat.ReplyListener;
import org.tuninglab.generate.FinishReason;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.tokenize.ChatMessage;

class GroundedPromptTest {
  private static final Chunk SCRATCH = new Chunk("storage.md#scratch", "storage.md", "Storage",
      List.of("Storage", "Scratch"), "## Scratch\n\nFiles unused for 21 days are purged.\n", 10,
      60, Map.of());
  private static final Chunk HOME = new Chunk("storage.md#home", "storage.md", "Storage",
      List.of("Storage", "Home"), "## Home\n\nHome holds 50 GB.", 60, 90, Map.of());

  @Test
  void messagesAreTheGoldenText() {
    List<ChatMessage> messages = GroundedPrompt.create()
        .messages(" How long do scratch files live? ", List.of(SCRATCH, HOME));
    assertEquals(List.of(
        ChatMessage.system("Answer the question using only the numbered sources. Cite the sources"
            + " that support each statement as [n], for example [1] or [2][3]. If the sources do"
            + " not contain the answer, say that you do not know."),
        ChatMessage.user("""
            Sources:

            [1] Storage > Scratch
            ## Scratch

            Files unused for 21 days are purged.

            [2] Storage > Home
            ## Home

            Home holds 50 GB.

            Question: How long do scratch files live?""")), messages);
    assertEquals(List.of(ChatMessage.system("Be brief."),
        ChatMessage.user("Sources:\n\n(none)\n\nQuestion: q")),
        GroundedPrompt.builder().optInstructions("Be brief.").build().messages("q", List.of()));
  }

  @Test
  void citationCheck() {
    CitationCheck c = CitationCheck.of("Files live 21 days [1]. Home is 50 GB [2][1], see [1, 4].",
        2);
    assertEquals(List.of(1, 2, 4), c.cited());
    assertEquals(List.of(4), c.unknown());
    assertTrue(c.citesAny());
    assertFalse(c.valid());

    CitationCheck ok = CitationCheck.of("Purged after 21 days [1].", 2);
    assertEquals(List.of(1), ok.cited());
    assertTrue(ok.valid());

    CitationCheck none = CitationCheck.of("About three weeks. See [the docs](x) or [a].", 2);
    assertFalse(none.citesAny());
    assertFalse(none.valid());
    assertEquals(List.of(0), CitationCheck.of("[0]", 3).unknown());
  }

  @Test
  void answerRetrievesAsksAndChecks() {
    List<List<ChatMessage>> seen = new ArrayList<>();
    ChatModel model = new ChatModel() {
      @Override
      public String name() {
        return "canned";
      }

      @Override
      public ChatReply chat(List<ChatMessage> messages, GenerationConfig config,
          ReplyListener onDelta) {
        seen.add(messages);
        return new ChatReply("21 days [1], or [3].", FinishReason.STOP_TOKEN, 50, 8);
      }
    };
    Retriever retriever = new Retriever() {
      @Override
      public String name() {
        return "two";
      }

      @Override
      public List<ScoredChunk> retrieve(String query, int k) {
        return List.of(new ScoredChunk(SCRATCH, 2.0), new ScoredChunk(HOME, 1.0)).subList(0, k);
      }
    };
    GroundedAnswer a = GroundedPrompt.create()
        .answer(model, retriever, "How long?", 2, GenerationConfig.greedy(16));
    assertEquals(GroundedPrompt.create().messages("How long?", List.of(SCRATCH, HOME)),
        seen.get(0));
    assertEquals(List.of(1, 3), a.citations().cited());
    assertEquals(List.of(3), a.citations().unknown());
    assertEquals(2, a.sources().size());
    assertEquals("21 days [1], or [3].", a.reply().text());
  }
}
