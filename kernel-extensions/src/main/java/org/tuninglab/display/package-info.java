/**
 * Display hooks for Java notebooks: renderers for Tablesaw tables, XChart charts and the
 * library's types, and a live progress view for training loops. Installed by
 * {@link org.tuninglab.display.TuningLabDisplay} through jjava's {@code Extension} SPI, in the
 * Tuning Lab kernel or an upstream JJava kernel alike.
 */
package org.tuninglab.display;
