package ai.glimpse.spark;

import ai.glimpse.InputException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The image files under some paths, found with Spark's {@code binaryFile} source: folders (read
 * recursively), single files and Hadoop globs, on any file system Spark reads (local, HDFS, S3...).
 * Only the listing is done here, on the driver; the bytes are read in the tasks ({@link HadoopFiles}), so
 * that an unreadable file becomes one error row instead of a failed job.
 */
final class ImageListing {
    /** The extensions {@code glimpse caption} takes from a folder. */
    static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "gif");

    /** A listed image: its fully qualified path (a URI such as {@code file:/data/a.jpg}) and size in bytes. */
    record ImageFile(String path, long length) implements java.io.Serializable {
    }

    private ImageListing() {
    }

    /**
     * Lists the images under {@code paths}, sorted by path.
     *
     * @throws InputException when a path does not exist or nothing under them is an image
     */
    static List<ImageFile> list(SparkSession spark, List<String> paths, boolean recursive) {
        Dataset<Row> files;
        try {
            files = spark.read().format("binaryFile")
                    .option("pathGlobFilter", imageGlob())
                    .option("recursiveFileLookup", Boolean.toString(recursive))
                    .load(paths.toArray(String[]::new))
                    .select("path", "length");                  // the content column is never read here
        } catch (Exception e) {                                  // AnalysisException, thrown undeclared from Scala
            if (e instanceof AnalysisException || e.getClass().getName().endsWith("AnalysisException")) {
                throw new InputException("--images: " + e.getMessage().lines().findFirst().orElse("").replaceFirst("^\\[\\w+] ", ""));
            }
            throw e;
        }
        List<ImageFile> out = new ArrayList<>();
        for (Row r : files.collectAsList()) {
            out.add(new ImageFile(r.getString(0), r.getLong(1)));
        }
        out.sort(java.util.Comparator.comparing(ImageFile::path));     // on the driver: no shuffle for a sort
        if (out.isEmpty()) {
            throw new InputException("--images " + String.join(" ", paths) + ": no images there (" + String.join(", ", EXTENSIONS)
                    + (recursive ? ", in any subfolder" : "") + ")");
        }
        return out;
    }

    /** A Hadoop glob matching the image extensions in any letter case, e.g. {@code *.{[pP][nN][gG],...}}. */
    static String imageGlob() {
        List<String> alternatives = new ArrayList<>();
        for (String ext : EXTENSIONS) {
            StringBuilder s = new StringBuilder();
            for (char c : ext.toCharArray()) {
                s.append('[').append(c).append(Character.toUpperCase(c)).append(']');
            }
            alternatives.add(s.toString());
        }
        return "*.{" + String.join(",", alternatives) + "}";
    }

    /** The file name of a listed path (the last segment of the URI). */
    static String fileName(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

}
