/**
 * Choosing and checking the libtorch build DJL loads: the bundled CPU build, a CUDA build (a pip
 * torch wheel's {@code torch/lib}, one DJL downloaded into its cache, or a download now), or a
 * folder named by the user. {@link org.tuninglab.torch.TorchChoice} is what was asked for
 * ({@code TUNINGLAB_TORCH}), {@link org.tuninglab.torch.LibtorchLocation} where it was found and
 * the settings DJL needs, {@link org.tuninglab.torch.TorchRuntime} what really loaded. A CUDA
 * request that cannot be met is an error naming what was tried, never a quiet fall-back to the CPU.
 */
package org.tuninglab.torch;
