/**
 * Finding model files by Hub name, offline first, the way {@code huggingface_hub} does: a local
 * directory, else a complete snapshot in the standard Hugging Face cache, else (unless offline) a
 * download into that cache in the same layout, so Python tools and this library share one cache.
 * {@link org.tuninglab.hub.ModelLocator} is the entry point; {@link
 * org.tuninglab.hub.ModelDownload} runs the download alone, e.g. on a cluster's transfer node
 * before jobs run with {@code HF_HUB_OFFLINE=1}.
 */
package org.tuninglab.hub;
