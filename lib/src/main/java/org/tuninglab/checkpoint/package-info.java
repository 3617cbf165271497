/**
 * Hugging Face checkpoint files in Java: a memory-mapped safetensors reader ({@link
 * org.tuninglab.checkpoint.SafetensorsFile}), model directories with or without a shard index
 * ({@link org.tuninglab.checkpoint.Checkpoint}) and an atomic writer ({@link
 * org.tuninglab.checkpoint.CheckpointWriter}).
 *
 * <p>Everything is done in Java rather than through DJL's {@code NDList.decode}: that path cannot
 * hold bf16 (creating a BF16 NDArray aborts the JVM), files over 2 GiB, header padding, metadata or
 * key order. bf16 never reaches DJL: it is widened to float32 here, or rounded to fp16 bits for an
 * fp16 model ({@code readFp16Bits}); an fp16 model is saved from its bits ({@link
 * org.tuninglab.checkpoint.Fp16Tensor}), with no float32 copy.
 */
package org.tuninglab.checkpoint;
