package org.tuninglab.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Expected strings are what CPython 3.11's json.dumps / repr(float) print for the same values. */
class PythonJsonTest {

    @Test
    void floatsAreSpelledLikePython() {
        assertEquals(
                List.of(
                        "0.1",
                        "1.0",
                        "-2.5",
                        "1e-05",
                        "0.0001",
                        "1e+16",
                        "1234567890123456.0",
                        "-0.0",
                        "0.0",
                        "3.141592653589793",
                        "NaN",
                        "-Infinity",
                        "1.5e+300"),
                Arrays.stream(
                                new double[] {
                                    0.1,
                                    1.0,
                                    -2.5,
                                    1e-5,
                                    1e-4,
                                    1e16,
                                    1234567890123456.0,
                                    -0.0,
                                    0.0,
                                    Math.PI,
                                    Double.NaN,
                                    Double.NEGATIVE_INFINITY,
                                    1.5e300
                                })
                        .mapToObj(PythonJson::pythonFloat)
                        .toList());
    }

    @Test
    void stringsEscapeOnlyWhatPythonEscapes() {
        assertEquals(
                "\"tab\\t nl\\n bell\\u0007 quote\\\" slash/ é 😀\"",
                PythonJson.DEFAULT.dumps("tab\t nl\n bell\u0007 quote\" slash/ é 😀"));
        PythonJson ascii = new PythonJson(true, Optional.empty(), ", ", ": ", false);
        assertEquals("\"\\u00e9 \\ud83d\\ude00\\u007f\"", ascii.dumps("é 😀\u007f"));
    }

    @Test
    void containersAndScalars() {
        assertEquals(
                "[1, true, null, [], {}, {\"k\": [2, 3]}]",
                PythonJson.DEFAULT.dumps(
                        Arrays.asList(
                                1,
                                true,
                                null,
                                List.of(),
                                Map.of(),
                                Map.of("k", new Object[] {2L, 3}))));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PythonJson.DEFAULT.dumps(new Object()));
        assertEquals("Object of type Object is not JSON serializable", e.getMessage());
    }
}
