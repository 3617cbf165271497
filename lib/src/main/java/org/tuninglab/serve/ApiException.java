package org.tuninglab.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server refuses or could not answer, sent as OpenAI's error body {@code {"error":
 * {"message", "type", "param", "code"}}} with an HTTP status.
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final String type;
  private final String param;
  private final String code;

  /**
   * @param status the HTTP status
   * @param type OpenAI's error class: {@code invalid_request_error}, {@code server_error}, ...
   * @param param the request field at fault, or null
   * @param code a machine-readable code, or null
   */
  ApiException(int status, String message, String type, String param, String code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** A 400 about one field of the request. */
  static ApiException invalid(String param, String message) {
    return new ApiException(400, message, "invalid_request_error", param, null);
  }

  int status() {
    return status;
  }

  ObjectNode toJson(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", getMessage());
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return root;
  }
}
