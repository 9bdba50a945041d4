/**
 * Configuration records that check themselves in their compact constructors: the model's shape
 * ({@link ai.glimpse.config.ModelConfig}) and the training run ({@link ai.glimpse.config.TrainConfig}).
 * They are saved as JSON inside model bundles and checkpoints.
 */
package ai.glimpse.config;
