/**
 * Benchmarks behind {@code ./tuninglab bench}: each measures a reference in the same run and prints
 * ratios against it, never absolute pass/fail timings.
 */
package org.tuninglab.bench;
