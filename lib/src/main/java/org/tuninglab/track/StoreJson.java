package org.tuninglab.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** The JSON codec of the store's files, with errors that name the file that could not be read. */
public final class StoreJson {

  /** Shared mapper: NaN/Infinity allowed (losses diverge), sorted keys for stable diffs. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private StoreJson() {}

  /** Serialises {@code value} as pretty JSON bytes. */
  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new TrackException("cannot serialise " + value.getClass().getSimpleName() + ": " + e, e);
    }
  }

  /** Atomically writes {@code value} as JSON to {@code file}. */
  public static void write(Path file, Object value) {
    StoreFiles.write(file, bytes(value));
  }

  /** Reads {@code file} as a JSON tree, or empty if it does not exist. */
  public static Optional<JsonNode> readIfExists(Path file) {
    try {
      return Optional.of(MAPPER.readTree(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new TrackException("cannot read " + file + " as JSON: " + e.getMessage(), e);
    }
  }

  /** Reads {@code file} as {@code type}, or empty if it does not exist. */
  public static <T> Optional<T> readIfExists(Path file, Class<T> type) {
    return readIfExists(file).map(node -> convert(file, node, type));
  }

  private static <T> T convert(Path file, JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new TrackException(
          "cannot read " + file + ": expected a " + type.getSimpleName() + ": " + e.getOriginalMessage(),
          e);
    }
  }
}
