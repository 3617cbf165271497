package org.tuninglab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.data.DatasetFormatException;

class LabelledFilesTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void jsonLinesKeepEveryPartAndTheOtherFields() throws IOException {
    Path file =
        write(
            "test.jsonl",
            """
            {"id": "q1", "input": "What is 6*7?", "reference": 42, "category": "math", "level": 2}

            {"input": "Name the entities.", "reference": "x", "entities": ["Apple", "Tim Cook"]}
            {"id": "q3", "input": "Entities?", "reference": "y", "entities": "Paris | France |", "category": ""}
            """);
    List<LabelledExample> set = LabelledFiles.load(file, LabelledFields.DEFAULT);
    assertEquals(3, set.size());
    LabelledExample q1 = set.get(0);
    assertEquals("q1", q1.id());
    assertEquals("What is 6*7?", q1.input());
    assertEquals("42", q1.reference());
    assertEquals("math", q1.category());
    assertEquals(Map.of("level", "2"), q1.fields());
    assertNull(q1.entities());
    assertTrue(q1.goldEntities().isEmpty());
    // No id: the origin is the id, with the line number the blank line pushed to 3.
    assertEquals("test.jsonl:3", set.get(1).id());
    assertEquals(List.of("Apple", "Tim Cook"), set.get(1).entities());
    assertEquals(List.of("Paris", "France"), set.get(2).entities());
    assertNull(set.get(2).category());
  }

  @Test
  void csvAndJsonArraysLoadTheSameWayWithRenamedFields() throws IOException {
    LabelledFields fields =
        LabelledFields.of("problem", "answer")
            .withId("uid")
            .withCategory("subject")
            .withEntities("names", ";");
    Path csv =
        write(
            "set.csv",
            "uid,problem,answer,subject,names\n"
                + "a,\"Two, plus two\",4,arith,\n"
                + "b,Who?,Ada,people,Ada Lovelace;Babbage\n");
    Path json =
        write(
            "set.json",
            """
            [
              {"uid": "a", "problem": "Two, plus two", "answer": "4", "subject": "arith", "names": ""},
              {"uid": "b", "problem": "Who?", "answer": "Ada", "subject": "people",
               "names": ["Ada Lovelace", "Babbage"]}
            ]
            """);
    List<LabelledExample> fromCsv = LabelledFiles.load(csv, fields);
    assertEquals(fromCsv, LabelledFiles.load(json, fields));
    assertEquals(List.of(), fromCsv.get(0).entities()); // present but empty: "no entities"
    assertEquals(List.of("Ada Lovelace", "Babbage"), fromCsv.get(1).entities());
    assertEquals("people", fromCsv.get(1).category());
  }

  @Test
  void errorsNameTheFileLineAndField() throws IOException {
    Path missing =
        write(
            "a.jsonl",
            "{\"id\": \"1\", \"input\": \"q\", \"reference\": \"r\"}\n"
                + "{\"id\": \"2\", \"input\": \"q\"}\n");
    DatasetFormatException e =
        assertThrows(
            DatasetFormatException.class,
            () -> LabelledFiles.load(missing, LabelledFields.DEFAULT));
    assertEquals(2, e.line());
    assertEquals("reference", e.field());
    assertTrue(
        e.getMessage().startsWith(missing + ":2: field \"reference\": missing"), e.getMessage());

    Path badType = write("b.jsonl", "{\"input\": [\"q\"], \"reference\": \"r\"}\n");
    e =
        assertThrows(
            DatasetFormatException.class,
            () -> LabelledFiles.load(badType, LabelledFields.DEFAULT));
    assertEquals("input", e.field());
    assertTrue(
        e.getMessage().contains("expected a string or a number, found ARRAY"), e.getMessage());

    Path badEntity =
        write("c.jsonl", "{\"input\": \"q\", \"reference\": \"r\", \"entities\": [\"a\", 3]}\n");
    e =
        assertThrows(
            DatasetFormatException.class,
            () -> LabelledFiles.load(badEntity, LabelledFields.DEFAULT));
    assertEquals("entities[1]", e.field());

    Path repeated = write("d.csv", "id,input,reference\nx,q,r\ny,q,r\nx,q,r\n");
    e =
        assertThrows(
            DatasetFormatException.class,
            () -> LabelledFiles.load(repeated, LabelledFields.DEFAULT));
    assertEquals(4, e.line());
    assertEquals("id", e.field());
    assertTrue(e.getMessage().contains("id \"x\" repeats line 2"), e.getMessage());

    Path notJson = write("e.jsonl", "{\"input\": \"q\", \"reference\": \"r\"}\n{oops\n");
    e =
        assertThrows(
            DatasetFormatException.class,
            () -> LabelledFiles.load(notJson, LabelledFields.DEFAULT));
    assertEquals(2, e.line());

    Path csvColumn = write("f.csv", "id,question,reference\nx,q,r\n");
    e =
        assertThrows(
            DatasetFormatException.class,
            () -> LabelledFiles.load(csvColumn, LabelledFields.DEFAULT));
    assertEquals("input", e.field());
    assertTrue(e.getMessage().contains("[id, question, reference]"), e.getMessage());

    Path text = write("g.txt", "");
    IOException io =
        assertThrows(IOException.class, () -> LabelledFiles.load(text, LabelledFields.DEFAULT));
    assertTrue(io.getMessage().contains("expected a .csv, .json or .jsonl file"), io.getMessage());
  }
}
