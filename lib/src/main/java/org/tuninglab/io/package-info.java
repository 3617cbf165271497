/**
 * Files, read and written safely: writes that never leave a half-written file behind (temp file in
 * the same folder, then rename), JSONL reading with each caller's own line-numbered errors, and a
 * stream that fails rather than waits forever on a silent connection; a measurement in a JVM of its
 * own, read back from its output, and the process's resident memory read from {@code /proc}.
 */
package org.tuninglab.io;
