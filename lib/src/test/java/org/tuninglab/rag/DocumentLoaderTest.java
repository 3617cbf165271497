package org.tuninglab.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentLoaderTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void loadsEveryFormatFromAFolderInPathOrder() throws IOException {
    write("a/guide.md", "Intro line\n\n# Quick Guide\n\nSome text.\n");
    write("b.txt", "Plain words.\r\nSecond line.\n");
    write("c.csv", "id,title,text,team\nf1,First,The first row.,ops\n,,\"Second, quoted\",dev\n");
    write("d.json", "[\n  {\"text\": \"json one\", \"n\": 3},\n"
        + "  {\"text\": \"json two\", \"title\": \"T\"}\n]\n");
    write("e.jsonl",
        "{\"text\": \"line one\", \"id\": \"x\"}\n\n{\"text\": \"line two\", \"ok\": true}\n");
    write(".hidden/skip.md", "# hidden\n");
    write("notes.pdf", "binary");

    Corpus corpus = DocumentLoader.builder().build().load(dir);
    List<Document> docs = corpus.documents();
    assertEquals(List.of("a/guide.md", "b.txt", "c.csv#f1", "c.csv#line-3", "d.json#line-2",
        "d.json#line-3", "e.jsonl#x", "e.jsonl#line-3"), docs.stream().map(Document::id).toList());

    Document md = docs.get(0);
    assertEquals("Quick Guide", md.title());
    assertTrue(md.isMarkdown());
    assertEquals("b", docs.get(1).title());
    assertEquals("Plain words.\nSecond line.\n", docs.get(1).text());
    assertEquals(Map.of("format", "text"), docs.get(1).metadata());

    assertEquals("The first row.", docs.get(2).text());
    assertEquals("First", docs.get(2).title());
    assertEquals(Map.of("id", "f1", "title", "First", "team", "ops", "format", "csv"),
        docs.get(2).metadata());
    assertEquals("c.csv:2", docs.get(2).source());
    assertEquals("Second, quoted", docs.get(3).text());
    assertEquals("c.csv#line-3", docs.get(3).title());

    assertEquals("json one", docs.get(4).text());
    assertEquals("3", docs.get(4).metadata().get("n"));
    assertEquals("T", docs.get(5).title());
    assertEquals("true", docs.get(7).metadata().get("ok"));

    assertEquals(1, corpus.skipped().size());
    assertEquals(dir.resolve("notes.pdf"), corpus.skipped().get(0).file());
    assertTrue(corpus.skipped().get(0).reason().contains("unsupported extension"));
  }

  private DocumentLoader bodyLoader(DocumentLoader.OnError onError) {
    return DocumentLoader.builder().optTextField("body").optOnError(onError).build();
  }

  @Test
  void badJsonlLineIsNamedWithItsLine() throws IOException {
    Path f = write("q.jsonl", "{\"body\": \"fine\"}\n{\"body\": 42}\n");
    DocumentFormatException e = assertThrows(DocumentFormatException.class,
        () -> bodyLoader(DocumentLoader.OnError.FAIL).load(f));
    assertEquals(f + ":2: field \"body\": expected a string, found NUMBER", e.getMessage());
    assertEquals(2, e.line());

    Path broken = write("r.jsonl", "{\"body\": \"fine\"}\n\n{\"body\": \"oops\"\n");
    e = assertThrows(DocumentFormatException.class,
        () -> bodyLoader(DocumentLoader.OnError.FAIL).load(broken));
    assertTrue(e.getMessage().startsWith(broken + ":3: not valid JSON"), e.getMessage());
  }

  @Test
  void csvWithoutTheTextColumnNamesTheColumnAndHeader() throws IOException {
    Path f = write("t.csv", "id,text\n1,hello\n");
    DocumentFormatException e = assertThrows(DocumentFormatException.class,
        () -> bodyLoader(DocumentLoader.OnError.FAIL).load(f));
    assertEquals(f + ":2: field \"body\": missing column; the header has [id, text]",
        e.getMessage());
  }

  @Test
  void emptyTextAndBadJsonShapesAreErrors() throws IOException {
    Path csv = write("e.csv", "body\nok\n\"  \"\n");
    assertEquals(csv + ":3: field \"body\": empty; expected the text",
        assertThrows(DocumentFormatException.class,
            () -> bodyLoader(DocumentLoader.OnError.FAIL).load(csv)).getMessage());
    Path notArray = write("o.json", "{\"body\": \"x\"}");
    assertEquals(notArray + ":1: expected a JSON array of objects",
        assertThrows(DocumentFormatException.class,
            () -> bodyLoader(DocumentLoader.OnError.FAIL).load(notArray)).getMessage());
    Path md = write("blank.md", "\n  \n");
    assertEquals(md + ": the file is empty; expected text",
        assertThrows(DocumentFormatException.class,
            () -> DocumentLoader.defaults().load(md)).getMessage());
  }

  @Test
  void invalidUtf8IsNamedWithItsLine() throws IOException {
    Path f = dir.resolve("latin1.txt");
    Files.write(f, new byte[] {'o', 'k', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
    DocumentFormatException e = assertThrows(DocumentFormatException.class,
        () -> DocumentLoader.defaults().load(f));
    assertEquals(f + ":2: not valid UTF-8 text (byte 6); expected a UTF-8 text file",
        e.getMessage());
  }

  @Test
  void skipLeavesBadFilesOutAndReportsThem() throws IOException {
    write("good.jsonl", "{\"body\": \"fine\"}\n");
    Path bad = write("bad.jsonl", "{\"body\": \"fine\"}\nnot json\n");
    assertThrows(DocumentFormatException.class,
        () -> bodyLoader(DocumentLoader.OnError.FAIL).load(dir));
    Corpus corpus = bodyLoader(DocumentLoader.OnError.SKIP).load(dir);
    assertEquals(List.of("good.jsonl#line-1"),
        corpus.documents().stream().map(Document::id).toList());
    assertEquals(1, corpus.skipped().size());
    assertEquals(bad, corpus.skipped().get(0).file());
    assertTrue(corpus.skipped().get(0).reason().startsWith(bad + ":2: not valid JSON"),
        corpus.skipped().get(0).reason());
  }

  @Test
  void anEmptyCorpusIsAnError() throws IOException {
    IOException e = assertThrows(IOException.class, () -> DocumentLoader.defaults().load(dir));
    assertEquals(dir + ": the corpus is empty: no documents were loaded", e.getMessage());

    Path bad = write("only.jsonl", "[1]\n");
    e = assertThrows(IOException.class,
        () -> DocumentLoader.builder().optOnError(DocumentLoader.OnError.SKIP).build().load(dir));
    assertTrue(e.getMessage().startsWith(dir + ": the corpus is empty"), e.getMessage());
    assertTrue(e.getMessage().contains(bad + ":1: expected a JSON object, found ARRAY"),
        e.getMessage());
    assertThrows(IOException.class,
        () -> DocumentLoader.defaults().load(dir.resolve("missing")));
  }

  @Test
  void duplicateIdsAndUnsupportedFilesAreErrors() throws IOException {
    write("a.jsonl",
        "{\"text\": \"one\", \"id\": \"same\"}\n{\"text\": \"two\", \"id\": \"same\"}\n");
    IOException e = assertThrows(IOException.class, () -> DocumentLoader.defaults().load(dir));
    assertEquals("duplicate document id \"a.jsonl#same\" at a.jsonl:1 and a.jsonl:2; expected"
        + " unique ids (field \"id\")", e.getMessage());
    Path pdf = write("x.pdf", "%PDF");
    assertTrue(assertThrows(DocumentFormatException.class,
        () -> DocumentLoader.defaults().load(pdf)).getMessage().contains("unsupported extension"));
  }
}
