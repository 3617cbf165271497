package org.tuninglab.peft;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads of {@code adapter_config.json} fields with errors naming the file and the field. */
record PeftJson(JsonNode root, String source) {

  void requireText(String field, String expected) throws AdapterFormatException {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual() || !n.asText().equals(expected)) {
      throw new AdapterFormatException(
          source + ": field '" + field + "' must be \"" + expected + "\", got " + n);
    }
  }

  void requireTextIfPresent(String field, String expected) throws AdapterFormatException {
    JsonNode n = root.get(field);
    if (n != null && !n.isNull()) {
      requireText(field, expected);
    }
  }

  void requireFalseIfPresent(String field) throws AdapterFormatException {
    JsonNode n = root.get(field);
    if (n != null && !n.isNull() && n.asBoolean(true)) {
      throw new AdapterFormatException(
          source + ": field '" + field + "' = " + n + " is not supported (expected false)");
    }
  }

  void requireEmptyIfPresent(String field) throws AdapterFormatException {
    JsonNode n = root.get(field);
    if (n != null && !n.isNull() && !(n.isContainerNode() && n.isEmpty())) {
      throw new AdapterFormatException(
          source + ": field '" + field + "' = " + n + " is not supported (expected null or empty)");
    }
  }

  int requiredInt(String field) throws AdapterFormatException {
    JsonNode n = root.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new AdapterFormatException(
          source + ": field '" + field + "' must be an integer, got " + n);
    }
    return n.asInt();
  }

  double requiredNumber(String field) throws AdapterFormatException {
    JsonNode n = root.get(field);
    if (n == null || !n.isNumber()) {
      throw new AdapterFormatException(
          source + ": field '" + field + "' must be a number, got " + n);
    }
    return n.asDouble();
  }

  double optNumber(String field, double fallback) throws AdapterFormatException {
    JsonNode n = root.get(field);
    return n == null || n.isNull() ? fallback : requiredNumber(field);
  }

  String optText(String field) throws AdapterFormatException {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new AdapterFormatException(
          source + ": field '" + field + "' must be a string, got " + n);
    }
    return n.asText();
  }
}
