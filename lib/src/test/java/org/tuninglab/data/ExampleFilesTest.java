package org.tuninglab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.tokenize.ChatMessage;

class ExampleFilesTest {
  private static final FieldMapping MATH = FieldMapping.promptCompletion("problem", "solution");

  @TempDir Path tmp;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(tmp.resolve(name), text);
  }

  @Test
  void loadsJsonLinesWithMappedFieldsAndKeepsTheOthers() throws IOException {
    Path file =
        write(
            "math.jsonl",
            "{\"problem\": \"1+1?\", \"solution\": \"2\", \"subject\": \"Algebra\", \"level\": 1}\n"
                + "\n"
                + "{\"problem\": \"2+2?\", \"solution\": \"4\", \"subject\": \"Geometry\"}\n");
    List<Example> examples = ExampleFiles.load(file, MATH);
    assertEquals(
        List.of(
            new PromptCompletion("1+1?", "2", Map.of("subject", "Algebra", "level", "1"), "math.jsonl:1"),
            new PromptCompletion("2+2?", "4", Map.of("subject", "Geometry"), "math.jsonl:3")),
        examples);
  }

  @Test
  void loadsAJsonArrayOfConversationsWithLineNumbers() throws IOException {
    Path file =
        write(
            "chat.json",
            "[\n  {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"},\n"
                + "                {\"role\": \"assistant\", \"content\": \"hello\"}]},\n"
                + "  {\"prompt\": \"p\", \"completion\": \"c\"}\n]\n");
    List<Example> examples = ExampleFiles.load(file, FieldMapping.DEFAULT);
    Conversation c = assertInstanceOf(Conversation.class, examples.get(0));
    assertEquals(List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello")), c.messages());
    assertEquals("chat.json:2", c.origin());
    assertEquals("chat.json:4", examples.get(1).origin());
  }

  @Test
  void loadsCsvWithQuotedMultiLineFields() throws IOException {
    Path file = write("math.csv", "problem,solution,subject\n\"a\nb\",x,Algebra\nc,\"y, z\",Geometry\n");
    List<Example> examples = ExampleFiles.load(file, MATH);
    assertEquals(2, examples.size());
    PromptCompletion first = (PromptCompletion) examples.get(0);
    assertEquals("a\nb", first.prompt());
    assertEquals(Map.of("subject", "Algebra"), first.fields());
    assertEquals("y, z", ((PromptCompletion) examples.get(1)).completion());
    assertEquals(List.of("math.csv:2", "math.csv:4"), examples.stream().map(Example::origin).toList());
  }

  @Test
  void emptyCompletionNamesFileLineAndField() throws IOException {
    Path file = write("bad.jsonl", "{\"problem\": \"a\", \"solution\": \"b\"}\n{\"problem\": \"a\", \"solution\": \" \"}\n");
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ExampleFiles.load(file, MATH));
    assertEquals(2, e.line());
    assertEquals("solution", e.field());
    assertEquals(file + ":2: field \"solution\": the completion is empty; expected the answer to train", e.getMessage());
  }

  @Test
  void aConversationWithAnEmptyOrNoAnswerNamesTheTurn() throws IOException {
    Path empty =
        write("empty.jsonl", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, "
            + "{\"role\": \"assistant\", \"content\": \"ok\"}, "
            + "{\"role\": \"user\", \"content\": \"and?\"}, "
            + "{\"role\": \"assistant\", \"content\": \"\\n\"}]}\n");
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> ExampleFiles.load(empty, FieldMapping.DEFAULT));
    assertEquals("messages[3].content", e.field());
    assertTrue(e.getMessage().endsWith(Conversation.EMPTY_ANSWER), e.getMessage());
    Path unanswered =
        write("unanswered.jsonl", "\n{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n");
    e = assertThrows(DatasetFormatException.class,
        () -> ExampleFiles.load(unanswered, FieldMapping.DEFAULT));
    assertEquals(2, e.line());
    assertEquals("messages", e.field());
    assertTrue(e.getMessage().contains("no assistant turn"), e.getMessage());
  }

  @Test
  void missingCsvColumnIsNamed() throws IOException {
    Path file = write("bad.csv", "question,solution\nq,s\n");
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ExampleFiles.load(file, MATH));
    assertEquals("problem", e.field());
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("missing column"), e.getMessage());
  }

  @Test
  void wrongTypeIsNamed() throws IOException {
    Path file = write("bad.json", "[\n{\"problem\": \"a\", \"solution\": \"b\"},\n{\"problem\": 7, \"solution\": \"b\"}\n]");
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ExampleFiles.load(file, MATH));
    assertEquals(file + ":3: field \"problem\": expected a string, found NUMBER", e.getMessage());
  }

  @Test
  void badRoleIsNamedWithItsIndex() throws IOException {
    Path file =
        write(
            "bad.jsonl",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"bot\", \"content\": \"b\"}]}\n");
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> ExampleFiles.load(file, FieldMapping.DEFAULT));
    assertEquals("messages[1].role", e.field());
    assertEquals(1, e.line());
  }

  @Test
  void conversationWithoutAnswerIsRejected() throws IOException {
    Path file = write("bad.jsonl", "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}\n");
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> ExampleFiles.load(file, FieldMapping.DEFAULT));
    assertEquals("messages", e.field());
  }

  @Test
  void invalidJsonLineIsNamed() throws IOException {
    Path file = write("bad.jsonl", "{\"prompt\": \"a\", \"completion\": \"b\"}\n{oops\n");
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> ExampleFiles.load(file, FieldMapping.DEFAULT));
    assertEquals(2, e.line());
  }

  @Test
  void jsonThatIsNotAnArrayIsRejected() throws IOException {
    Path file = write("bad.json", "{\"prompt\": \"a\", \"completion\": \"b\"}");
    DatasetFormatException e =
        assertThrows(DatasetFormatException.class, () -> ExampleFiles.load(file, FieldMapping.DEFAULT));
    assertEquals(file + ":1: field \"(file)\": expected a JSON array of objects", e.getMessage());
  }

  @Test
  void unknownExtensionIsRejected() throws IOException {
    Path file = write("data.txt", "x");
    IOException e = assertThrows(IOException.class, () -> ExampleFiles.load(file, FieldMapping.DEFAULT));
    assertTrue(e.getMessage().contains(".csv, .json or .jsonl"));
  }
}
