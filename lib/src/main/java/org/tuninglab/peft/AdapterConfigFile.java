package org.tuninglab.peft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tuninglab.io.AtomicFiles;

/** {@code adapter_config.json}: read as a JSON object, written pretty-printed and atomically. */
final class AdapterConfigFile {
  static final String FILE = "adapter_config.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdapterConfigFile() {}

  static JsonNode read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new AdapterFormatException(
          file + ": not found (an adapter directory needs " + FILE + ")");
    } catch (JsonProcessingException e) {
      throw new AdapterFormatException(
          file
              + ": not valid JSON at line "
              + e.getLocation().getLineNr()
              + ": "
              + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new AdapterFormatException(file + ": expected a JSON object");
    }
    return root;
  }

  static void write(Path dir, ObjectNode config) throws IOException {
    AtomicFiles.writeString(
        dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
  }
}
