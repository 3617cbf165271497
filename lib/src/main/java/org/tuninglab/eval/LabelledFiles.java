package org.tuninglab.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.tuninglab.data.DatasetFormatException;
import org.tuninglab.io.JsonLines;

/**
 * Loads a labelled set from {@code .jsonl} (one object a line), {@code .json} (an array of objects)
 * or {@code .csv} (with a header row), as {@link org.tuninglab.data.ExampleFiles} loads training
 * data: blank JSONL lines are skipped, and a bad record fails with a {@link DatasetFormatException}
 * naming the file, the line and the field.
 */
public final class LabelledFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();

  private LabelledFiles() {}

  /**
   * Loads a labelled set, choosing the format by extension.
   *
   * @param file the file
   * @param fields which fields hold the example's parts
   * @return the examples in file order
   * @throws DatasetFormatException if a record is invalid or repeats an id
   * @throws IOException if the file cannot be read or parsed
   */
  public static List<LabelledExample> load(Path file, LabelledFields fields) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    List<Record> records;
    if (name.endsWith(".jsonl")) {
      records = jsonLines(file);
    } else if (name.endsWith(".json")) {
      records = jsonArray(file);
    } else if (name.endsWith(".csv")) {
      records = csv(file);
    } else {
      throw new IOException(file + ": unknown data format; expected a .csv, .json or .jsonl file");
    }
    List<LabelledExample> out = new ArrayList<>(records.size());
    Map<String, Long> seen = new HashMap<>();
    for (Record r : records) {
      LabelledExample e = example(r, file, fields);
      Long first = seen.putIfAbsent(e.id(), r.line());
      if (first != null) {
        throw new DatasetFormatException(
            file,
            r.line(),
            fields.id(),
            "id \"" + e.id() + "\" repeats line " + first + "; ids must be unique");
      }
      out.add(e);
    }
    return out;
  }

  /** One parsed record and the line it starts on. */
  private record Record(JsonNode node, long line) {}

  private static List<Record> jsonLines(Path file) throws IOException {
    List<Record> records = new ArrayList<>();
    JsonLines.forEach(
        file,
        (line, detail) -> new DatasetFormatException(file, line, "(record)", detail),
        (node, line) -> records.add(new Record(node, line)));
    return records;
  }

  private static List<Record> jsonArray(Path file) throws IOException {
    List<Record> records = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(file.toFile())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new DatasetFormatException(
            file,
            parser.currentTokenLocation().getLineNr(),
            "(file)",
            "expected a JSON array of objects");
      }
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
        long line = parser.currentTokenLocation().getLineNr();
        if (t == null) {
          throw new DatasetFormatException(file, line, "(file)", "the array is not closed");
        }
        records.add(new Record(JSON.readTree(parser), line));
      }
    }
    return records;
  }

  private static List<Record> csv(Path file) throws IOException {
    List<Record> records = new ArrayList<>();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (MappingIterator<Map<String, String>> rows =
        CSV.readerForMapOf(String.class).with(schema).readValues(file.toFile())) {
      while (rows.hasNextValue()) {
        // The parser still points at the end of the previous row: this row starts on the next line.
        long line = rows.getParser().currentTokenLocation().getLineNr() + 1;
        ObjectNode node = JSON.createObjectNode();
        rows.nextValue().forEach(node::put);
        records.add(new Record(node, line));
      }
    }
    return records;
  }

  private static LabelledExample example(Record r, Path file, LabelledFields f)
      throws DatasetFormatException {
    JsonNode node = r.node();
    long line = r.line();
    if (!node.isObject()) {
      throw new DatasetFormatException(
          file, line, "(record)", "expected a JSON object, found " + node.getNodeType());
    }
    String input = scalar(node, f.input(), file, line, true);
    String reference = scalar(node, f.reference(), file, line, true);
    String id = scalar(node, f.id(), file, line, false);
    if (id == null) {
      id = file.getFileName() + ":" + line;
    } else if (id.isBlank()) {
      throw new DatasetFormatException(file, line, f.id(), "the id is blank; expected a unique id");
    }
    String category = scalar(node, f.category(), file, line, false);
    if (category != null && category.isBlank()) {
      category = null;
    }
    List<String> entities = entities(node.get(f.entities()), file, line, f);
    Map<String, String> others = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                others.put(e.getKey(), e.getValue().asText());
              }
            });
    List.of(f.id(), f.input(), f.reference(), f.entities(), f.category()).forEach(others::remove);
    return new LabelledExample(id, input, others, reference, entities, category);
  }

  private static String scalar(JsonNode node, String key, Path file, long line, boolean required)
      throws DatasetFormatException {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      if (required) {
        throw new DatasetFormatException(
            file, line, key, "missing; expected a string (the record has " + names(node) + ")");
      }
      return null;
    }
    if (!value.isTextual() && !value.isNumber()) {
      throw new DatasetFormatException(
          file, line, key, "expected a string or a number, found " + value.getNodeType());
    }
    return value.asText();
  }

  private static List<String> entities(JsonNode value, Path file, long line, LabelledFields f)
      throws DatasetFormatException {
    if (value == null || value.isNull()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    if (value.isTextual()) {
      for (String part : value.asText().split(Pattern.quote(f.entityDelimiter()))) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
      return out;
    }
    if (!value.isArray()) {
      throw new DatasetFormatException(
          file,
          line,
          f.entities(),
          "expected an array of strings or a delimited string, found " + value.getNodeType());
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode e = value.get(i);
      if (!e.isTextual()) {
        throw new DatasetFormatException(
            file,
            line,
            f.entities() + "[" + i + "]",
            "expected a string, found " + e.getNodeType());
      }
      out.add(e.asText());
    }
    return out;
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
