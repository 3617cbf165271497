/**
 * The run-store and sweep-controller benchmark behind {@code ./tuninglab bench track}: throughput
 * of metric logging with one and several writer threads and processes, and controller overhead
 * per trial, each as a ratio against a reference measured in the same run.
 */
package org.tuninglab.track.bench;
