package ai.glimpse.explain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link ExplainWriter#write} wrote into its folder.
 *
 * @param folder     the folder
 * @param stepImages one PNG per shown step, at the original image's size, in step order
 * @param grid       {@code grid.png}: the original and one labelled panel per shown step
 * @param animation  {@code attention.gif}: one frame per shown step
 * @param page       {@code index.html}: the self-contained interactive page
 * @param json       {@code attention.json}: every step's weights, the crop box and the caption
 * @param maskedGrid {@code grid_masked.png}: the counterfactual caption's figure, or null without one
 */
public record ExplainFiles(Path folder, List<Path> stepImages, Path grid, Path animation, Path page, Path json,
        Path maskedGrid) {
    public ExplainFiles {
        stepImages = List.copyOf(stepImages);
    }

    /** Every file, step images first. */
    public List<Path> all() {
        List<Path> all = new ArrayList<>(stepImages);
        all.addAll(List.of(grid, animation, page, json));
        if (maskedGrid != null) {
            all.add(maskedGrid);
        }
        return all;
    }
}
