package ai.glimpse.train;

import ai.glimpse.model.CaptionModel;
import java.util.Map;

/** Scores a model during training; higher is better for the main metric. */
public interface Validator {
    /** Scores by metric name; must contain {@link #mainMetric()}. */
    Map<String, Double> validate(CaptionModel model);

    /** The metric that drives learning-rate decay, early stopping and the best model. */
    String mainMetric();
}
