/** File writing that never leaves a half-written file behind: temp file in the same folder, then rename. */
package org.tuninglab.io;
