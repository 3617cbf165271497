package org.tuninglab.rag;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.tuninglab.io.JsonLines;

/**
 * Loads documents from markdown ({@code .md}, {@code .markdown}), plain text ({@code .txt}), CSV
 * (a header row; one column holds the text, the others become metadata), JSON (an array of
 * objects) and JSONL (one object a line; a field holds the text), from one file or a folder
 * (recursively, files sorted by path, dot-files ignored).
 *
 * <p>A file that does not parse fails the load ({@link OnError#FAIL}, the default) or is left out
 * and listed in {@link Corpus#skipped()} ({@link OnError#SKIP}). Files of other types in a folder
 * are always listed there. A load that finds no document is an error.
 */
public final class DocumentLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();

  /** What to do with a file that does not parse. */
  public enum OnError {
    /** Stop at the first bad file, throwing its {@link DocumentFormatException}. */
    FAIL,
    /** Leave the file out and list it in {@link Corpus#skipped()}. */
    SKIP
  }

  private final String textField;
  private final String titleField;
  private final String idField;
  private final OnError onError;

  private DocumentLoader(Builder b) {
    this.textField = b.textField;
    this.titleField = b.titleField;
    this.idField = b.idField;
    this.onError = b.onError;
  }

  /** A loader with the defaults: fields {@code text}, {@code title}, {@code id}; fail fast. */
  public static DocumentLoader defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads a file or every supported file under a folder.
   *
   * @param path a file or a folder
   * @return the documents and the files left out
   * @throws DocumentFormatException if a file does not parse (under {@link OnError#FAIL})
   * @throws IOException if nothing is found, or a file cannot be read
   */
  public Corpus load(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new IOException(path + ": no such file or folder; expected a corpus file or folder");
    }
    List<Document> documents = new ArrayList<>();
    List<SkippedFile> skipped = new ArrayList<>();
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(path)) {
        files = walk.filter(Files::isRegularFile)
            .filter(p -> !hidden(path.relativize(p)))
            .sorted()
            .toList();
      }
      for (Path file : files) {
        String id = path.relativize(file).toString().replace('\\', '/');
        if (format(file) == null) {
          skipped.add(new SkippedFile(file, "unsupported extension; expected .md, .markdown,"
              + " .txt, .csv, .json or .jsonl"));
          continue;
        }
        loadOne(file, id, documents, skipped);
      }
    } else {
      if (format(path) == null) {
        throw new DocumentFormatException(path, 0, null,
            "unsupported extension; expected .md, .markdown, .txt, .csv, .json or .jsonl");
      }
      loadOne(path, path.getFileName().toString(), documents, skipped);
    }
    if (documents.isEmpty()) {
      throw new IOException(path + ": the corpus is empty: no documents were loaded"
          + (skipped.isEmpty() ? "" : "; skipped " + skipped));
    }
    Map<String, String> seen = new HashMap<>();
    for (Document d : documents) {
      String earlier = seen.putIfAbsent(d.id(), d.source());
      if (earlier != null) {
        throw new IOException("duplicate document id \"" + d.id() + "\" at " + earlier + " and "
            + d.source() + "; expected unique ids (field \"" + idField + "\")");
      }
    }
    return new Corpus(documents, skipped);
  }

  private void loadOne(Path file, String id, List<Document> out, List<SkippedFile> skipped)
      throws IOException {
    try {
      out.addAll(parse(file, id));
    } catch (DocumentFormatException e) {
      if (onError == OnError.FAIL) {
        throw e;
      }
      skipped.add(new SkippedFile(file, e.getMessage()));
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String format(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".md") || name.endsWith(".markdown")) {
      return "markdown";
    }
    if (name.endsWith(".txt")) {
      return "text";
    }
    if (name.endsWith(".csv")) {
      return "csv";
    }
    if (name.endsWith(".jsonl")) {
      return "jsonl";
    }
    if (name.endsWith(".json")) {
      return "json";
    }
    return null;
  }

  private List<Document> parse(Path file, String id) throws IOException {
    String format = format(file);
    return switch (format) {
      case "markdown", "text" -> List.of(wholeFile(file, id, format));
      case "csv" -> csv(file, id);
      case "jsonl" -> jsonLines(file, id);
      default -> jsonArray(file, id);
    };
  }

  private static Document wholeFile(Path file, String id, String format) throws IOException {
    String text = readUtf8(file);
    if (text.isBlank()) {
      throw new DocumentFormatException(file, 0, null, "the file is empty; expected text");
    }
    String title = stem(file);
    if (format.equals("markdown")) {
      for (String line : text.split("\n", -1)) {
        if (line.startsWith("# ")) {
          title = line.substring(2).strip();
          break;
        }
      }
    }
    return new Document(id, title, text, id, Map.of("format", format));
  }

  /** Reads strict UTF-8, so a binary or mis-encoded file is named rather than garbled. */
  private static String readUtf8(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString()
          .replace("\r\n", "\n");
    } catch (CharacterCodingException e) {
      long line = 1;
      int valid = validUtf8Prefix(bytes);
      for (int i = 0; i < valid; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new DocumentFormatException(file, line, null,
          "not valid UTF-8 text (byte " + valid + "); expected a UTF-8 text file");
    }
  }

  private static int validUtf8Prefix(byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    var result = decoder.decode(in, java.nio.CharBuffer.allocate(bytes.length), true);
    return result.isError() ? in.position() : bytes.length;
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private List<Document> csv(Path file, String fileId) throws IOException {
    readUtf8(file); // names a mis-encoded file by line before the CSV parser guesses
    List<Document> docs = new ArrayList<>();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (MappingIterator<Map<String, String>> rows =
        CSV.readerForMapOf(String.class).with(schema).readValues(file.toFile())) {
      while (true) {
        long line = rows.getParser().currentTokenLocation().getLineNr() + 1;
        Map<String, String> row;
        try {
          if (!rows.hasNextValue()) {
            break;
          }
          row = rows.nextValue();
        } catch (IOException | RuntimeException e) {
          throw new DocumentFormatException(file, line, null, "not valid CSV: "
              + firstLine(e.getMessage()));
        }
        Map<String, String> fields = new LinkedHashMap<>(row);
        String text = fields.remove(textField);
        if (text == null) {
          throw new DocumentFormatException(file, line, textField,
              "missing column; the header has " + row.keySet());
        }
        docs.add(record(file, fileId, line, text, fields, "csv"));
      }
    }
    if (docs.isEmpty()) {
      throw new DocumentFormatException(file, 0, null, "no rows; expected a header and rows");
    }
    return docs;
  }

  private List<Document> jsonLines(Path file, String fileId) throws IOException {
    List<Document> docs = new ArrayList<>();
    try {
      JsonLines.forEach(
          file,
          (line, detail) -> new DocumentFormatException(file, line, null, detail),
          (node, line) -> docs.add(fromJson(node, file, fileId, line, "jsonl")));
    } catch (java.nio.charset.MalformedInputException e) {
      readUtf8(file); // throws, naming the line
      throw e;
    }
    if (docs.isEmpty()) {
      throw new DocumentFormatException(file, 0, null,
          "no records; expected one JSON object a line");
    }
    return docs;
  }

  private List<Document> jsonArray(Path file, String fileId) throws IOException {
    readUtf8(file);
    List<Document> docs = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new DocumentFormatException(file, parser.currentTokenLocation().getLineNr(), null,
            "expected a JSON array of objects");
      }
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
        long line = parser.currentTokenLocation().getLineNr();
        if (t == null) {
          throw new DocumentFormatException(file, line, null, "the array is not closed");
        }
        docs.add(fromJson(JSON.readTree(parser), file, fileId, line, "json"));
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
      throw new DocumentFormatException(file, line, null,
          "not valid JSON: " + e.getOriginalMessage());
    }
    if (docs.isEmpty()) {
      throw new DocumentFormatException(file, 0, null, "an empty array; expected objects");
    }
    return docs;
  }

  private Document fromJson(JsonNode node, Path file, String fileId, long line, String format)
      throws DocumentFormatException {
    if (!node.isObject()) {
      throw new DocumentFormatException(file, line, null,
          "expected a JSON object, found " + node.getNodeType());
    }
    JsonNode text = node.get(textField);
    if (text == null) {
      throw new DocumentFormatException(file, line, textField, "missing; expected the text");
    }
    if (!text.isTextual()) {
      throw new DocumentFormatException(file, line, textField,
          "expected a string, found " + text.getNodeType());
    }
    Map<String, String> fields = new LinkedHashMap<>();
    node.properties().forEach(e -> {
      if (!e.getKey().equals(textField) && e.getValue().isValueNode() && !e.getValue().isNull()) {
        fields.put(e.getKey(), e.getValue().asText());
      }
    });
    return record(file, fileId, line, text.asText(), fields, format);
  }

  private Document record(Path file, String fileId, long line, String text,
      Map<String, String> fields, String format) throws DocumentFormatException {
    if (text.isBlank()) {
      throw new DocumentFormatException(file, line, textField, "empty; expected the text");
    }
    String recordId = fields.get(idField);
    String title = fields.get(titleField);
    boolean named = recordId != null && !recordId.isBlank();
    String id = fileId + "#" + (named ? recordId : "line-" + line);
    Map<String, String> metadata = new LinkedHashMap<>(fields);
    metadata.put("format", format);
    return new Document(id, title != null && !title.isBlank() ? title : id, text,
        fileId + ":" + line, metadata);
  }

  private static String firstLine(String message) {
    String m = Objects.requireNonNullElse(message, "");
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Builds a {@link DocumentLoader}; every setting is optional. */
  public static final class Builder {
    private String textField = "text";
    private String titleField = "title";
    private String idField = "id";
    private OnError onError = OnError.FAIL;

    private Builder() {}

    /** The CSV column or JSON field that holds the text (default {@code text}). */
    public Builder optTextField(String field) {
      this.textField = Objects.requireNonNull(field, "field");
      return this;
    }

    /** The column or field that holds a record's title (default {@code title}; optional). */
    public Builder optTitleField(String field) {
      this.titleField = Objects.requireNonNull(field, "field");
      return this;
    }

    /** The column or field that holds a record's id (default {@code id}; else the line). */
    public Builder optIdField(String field) {
      this.idField = Objects.requireNonNull(field, "field");
      return this;
    }

    /** Fail on the first bad file (default) or skip it and report it. */
    public Builder optOnError(OnError onError) {
      this.onError = Objects.requireNonNull(onError, "onError");
      return this;
    }

    public DocumentLoader build() {
      return new DocumentLoader(this);
    }
  }
}
