/**
 * Glimpse on Apache Spark: {@code glimpse-spark caption} captions a large image set in parallel and
 * writes Parquet and a coco-caption results file, resumably; {@code glimpse-spark features} computes a
 * frozen encoder's features for {@code glimpse train}'s feature cache. The captioning and the encoding
 * are the core's ({@link ai.glimpse.decode.Captioner}, {@link ai.glimpse.model.FrozenEncoder}): this
 * package only lists images, ships the model to executors, batches, and writes the results.
 */
package ai.glimpse.spark;
