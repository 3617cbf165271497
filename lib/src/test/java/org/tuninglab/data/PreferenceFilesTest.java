package org.tuninglab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.HfTokenizer;

class PreferenceFilesTest {
  private static HfTokenizer tokenizer;
  private static PreferenceCollator collator;

  @BeforeAll
  static void load() throws IOException {
    tokenizer = BpeFixture.tokenizer();
    collator =
        PreferenceCollator.builder()
            .setTokenizer(tokenizer)
            .setChatTemplate(BpeFixture.template())
            .setMaxLength(512)
            .optMaxPromptLength(200)
            .build();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void readsPlainPairsFromJsonLinesWithTheirOtherFields(@TempDir Path tmp) throws IOException {
    Path file =
        write(tmp, "p.jsonl", """
            {"prompt": "hi", "chosen": "hello", "rejected": "go away", "domain": "note"}

            {"prompt": "2+2?", "chosen": "4", "rejected": "5"}
            """);
    List<PreferencePair> pairs = PreferenceFiles.load(file, PreferenceMapping.DEFAULT);
    assertEquals(2, pairs.size());
    PreferencePair first = pairs.get(0);
    assertEquals(List.of(ChatMessage.user("hi")), first.prompt());
    assertEquals("hello", first.chosen());
    assertEquals("go away", first.rejected());
    assertEquals(Map.of("domain", "note"), first.fields());
    assertEquals("p.jsonl:1", first.origin());
    assertEquals("p.jsonl:3", pairs.get(1).origin());
  }

  @Test
  void readsTrlConversationalPairsFromAJsonArray(@TempDir Path tmp) throws IOException {
    Path file =
        write(tmp, "chat.json", """
            [
              {"question": [{"role": "system", "content": "Be brief."},
                            {"role": "user", "content": "hi"}],
               "good": [{"role": "assistant", "content": "hello"}],
               "bad": "HELLO THERE"}
            ]
            """);
    PreferencePair pair =
        PreferenceFiles.load(file, new PreferenceMapping("question", "good", "bad")).get(0);
    assertEquals(List.of(ChatMessage.system("Be brief."), ChatMessage.user("hi")), pair.prompt());
    assertEquals("hello", pair.chosen());
    assertEquals("HELLO THERE", pair.rejected());
    assertEquals("chat.json:2", pair.origin());
  }

  @Test
  void readsCsvWithAHeader(@TempDir Path tmp) throws IOException {
    Path file = write(tmp, "p.csv", "prompt,chosen,rejected,topic\nhi,hello,\"go, away\",x\n");
    PreferencePair pair = PreferenceFiles.load(file, PreferenceMapping.DEFAULT).get(0);
    assertEquals("go, away", pair.rejected());
    assertEquals(Map.of("topic", "x"), pair.fields());
    assertEquals("p.csv:2", pair.origin());
  }

  @Test
  void anEmptySideNamesFileLineAndField(@TempDir Path tmp) throws IOException {
    Path file =
        write(tmp, "p.jsonl", """
            {"prompt": "hi", "chosen": "hello", "rejected": "no"}
            {"prompt": "hi", "chosen": "  ", "rejected": "no"}
            """);
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> PreferenceFiles.load(file, PreferenceMapping.DEFAULT));
    assertEquals(2, e.line());
    assertEquals("chosen", e.field());
    assertEquals(
        file + ":2: field \"chosen\": the chosen answer is empty; expected the preferred answer",
        e.getMessage());

    Path csv = write(tmp, "p.csv", "prompt,chosen,rejected\nhi,hello,\n");
    DatasetFormatException c =
        assertThrows(DatasetFormatException.class, () -> PreferenceFiles.load(csv, PreferenceMapping.DEFAULT));
    assertEquals("rejected", c.field());
    assertEquals(2, c.line());
  }

  @Test
  void identicalSidesAreRejected(@TempDir Path tmp) throws IOException {
    Path file = write(tmp, "p.jsonl", "{\"prompt\": \"hi\", \"chosen\": \"same\", \"rejected\": \"same\"}\n");
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> PreferenceFiles.load(file, PreferenceMapping.DEFAULT));
    assertEquals("rejected", e.field());
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("identical to the chosen answer"), e.getMessage());
  }

  @Test
  void aPromptOverTheBudgetNamesFileLineAndField(@TempDir Path tmp) throws IOException {
    String longPrompt = "word ".repeat(200);
    Path file =
        write(tmp, "p.jsonl", "{\"prompt\": \"hi\", \"chosen\": \"a\", \"rejected\": \"b\"}\n"
            + "{\"prompt\": \"" + longPrompt + "\", \"chosen\": \"a\", \"rejected\": \"b\"}\n");
    assertEquals(2, PreferenceFiles.load(file, PreferenceMapping.DEFAULT).size());
    DatasetFormatException e =
        assertThrows(
            DatasetFormatException.class,
            () -> PreferenceFiles.load(file, PreferenceMapping.DEFAULT, collator));
    assertEquals(2, e.line());
    assertEquals("prompt", e.field());
    assertTrue(e.getMessage().contains("the budget is 200"), e.getMessage());
  }

  @Test
  void wrongShapesAreNamed(@TempDir Path tmp) throws IOException {
    Path missing = write(tmp, "m.jsonl", "{\"prompt\": \"hi\", \"chosen\": \"a\"}\n");
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> PreferenceFiles.load(missing, PreferenceMapping.DEFAULT));
    assertEquals(missing + ":1: field \"rejected\": missing; expected a string", e.getMessage());

    Path userTurn =
        write(tmp, "u.jsonl", "{\"prompt\": \"hi\", \"chosen\": [{\"role\": \"user\", \"content\": \"a\"}],"
            + " \"rejected\": \"b\"}\n");
    DatasetFormatException u =
        assertThrows(DatasetFormatException.class, () -> PreferenceFiles.load(userTurn, PreferenceMapping.DEFAULT));
    assertEquals("chosen", u.field());
    assertTrue(u.getMessage().contains("one assistant turn"), u.getMessage());

    Path badRole =
        write(tmp, "r.jsonl", "{\"prompt\": [{\"role\": \"robot\", \"content\": \"a\"}], \"chosen\": \"a\","
            + " \"rejected\": \"b\"}\n");
    DatasetFormatException r =
        assertThrows(DatasetFormatException.class, () -> PreferenceFiles.load(badRole, PreferenceMapping.DEFAULT));
    assertEquals("prompt[0].role", r.field());

    Path csv = write(tmp, "c.csv", "prompt,chosen\nhi,a\n");
    DatasetFormatException c =
        assertThrows(DatasetFormatException.class, () -> PreferenceFiles.load(csv, PreferenceMapping.DEFAULT));
    assertEquals("rejected", c.field());
    assertTrue(c.getMessage().contains("missing column"), c.getMessage());
  }
}
