package ai.glimpse.config;

/**
 * How a model is trained: the loop's length, the optimiser, and when to validate, decay the learning
 * rate and stop early.
 *
 * @param epochs          passes over the training captions
 * @param batchSize       captions per step
 * @param learningRate    Adam's initial step size
 * @param maxSteps        stop after this many steps in all (0: no limit); a checkpoint is written there
 * @param seed            seeds initialisation, data order and dropout: the same seed gives the same run
 * @param clipNorm        gradients are scaled down to this global L2 norm (0 disables clipping)
 * @param decayFactor     the learning rate is multiplied by this when validation stops improving
 * @param decayPatience   validations without improvement before the rate decays
 * @param stopPatience    validations without improvement before training stops early
 * @param valImages       validation decodes at most this many images of the val split
 * @param checkpointEvery steps between checkpoints (besides the one at every epoch's end)
 * @param captionsPerImage an epoch takes at most this many of each image's captions, drawn afresh
 *                        every epoch (0: all of them; checkpoints written before this existed read 0)
 * @param warmupSteps     steps that train the small encoder and its word detectors alone, on batches of
 *                        distinct images, before the captioning steps (0: none; old checkpoints read 0)
 */
public record TrainConfig(int epochs, int batchSize, double learningRate, long maxSteps, long seed, double clipNorm,
        double decayFactor, int decayPatience, int stopPatience, int valImages, int checkpointEvery,
        int captionsPerImage, int warmupSteps) {
    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (learningRate > Float.MAX_VALUE) {                              // libnd4j's float Adam made 1e39 a step of 3e-8
            throw new IllegalArgumentException("learning rate must be at most " + Float.MAX_VALUE
                    + " (the weights are floats), got " + learningRate);
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("max steps must be >= 0, got " + maxSteps);
        }
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("clip norm must be >= 0, got " + clipNorm);
        }
        if (!(decayFactor > 0 && decayFactor <= 1)) {
            throw new IllegalArgumentException("decay factor must be in (0, 1], got " + decayFactor);
        }
        if (decayPatience < 1 || stopPatience < 1) {
            throw new IllegalArgumentException("patience must be >= 1");
        }
        if (valImages < 0) {
            throw new IllegalArgumentException("validation images must be >= 0, got " + valImages);
        }
        if (captionsPerImage < 0) {
            throw new IllegalArgumentException("captions per image must be >= 0 (0: all), got " + captionsPerImage);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1, got " + checkpointEvery);
        }
    }

    /** Defaults: 20 epochs of 32 captions, Adam at 4e-4 (as the authors' code), clip at 5. */
    public static TrainConfig defaults() {
        return new TrainConfig(20, 32, 4e-4, 0, 1, 5.0, 0.5, 2, 4, 500, 500, 0, 0);
    }
}
