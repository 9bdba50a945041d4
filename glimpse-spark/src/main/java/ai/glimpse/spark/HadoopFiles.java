package ai.glimpse.spark;

import ai.glimpse.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Files through Hadoop's file system API, so that jobs read and write wherever Spark does (local, HDFS,
 * S3...). Holds the driver's Hadoop configuration and travels to executors with the task (Hadoop's
 * {@link Configuration} is not serializable; it is written field by field).
 */
final class HadoopFiles implements Serializable {
    /** The largest image file read (as the core's Java API takes from a stream). */
    static final long MAX_IMAGE_BYTES = 256L << 20;
    private static final long serialVersionUID = 1L;

    private transient Configuration conf;

    HadoopFiles(Configuration conf) {
        this.conf = conf;
    }

    /**
     * Reads a whole image file.
     *
     * @param length its size from the listing (checked again here)
     * @throws InputException naming the file when it is too large, gone or unreadable
     */
    byte[] readImage(String path, long length) {
        if (length > MAX_IMAGE_BYTES) {
            throw new InputException(path + ": " + length + " bytes, more than the " + (MAX_IMAGE_BYTES >> 20)
                    + " MB an image file may have");
        }
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            try (InputStream in = fs.open(p)) {
                byte[] bytes = in.readNBytes((int) MAX_IMAGE_BYTES + 1);
                if (bytes.length > MAX_IMAGE_BYTES) {
                    throw new InputException(path + ": more than " + (MAX_IMAGE_BYTES >> 20) + " MB, too large for an image file");
                }
                return bytes;
            }
        } catch (java.io.FileNotFoundException e) {
            throw new InputException(path + ": no longer there (" + e.getMessage() + ")");
        } catch (org.apache.hadoop.security.AccessControlException e) {
            throw new InputException(path + ": permission denied");
        } catch (IOException e) {
            throw new InputException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    boolean exists(String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new InputException(path + ": cannot look (" + e.getMessage() + ")", e);
        }
    }

    /** The path made absolute on its file system, e.g. {@code out} becomes {@code file:/home/me/out}. */
    String qualify(String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException e) {
            throw new InputException(path + ": " + e.getMessage(), e);
        }
    }

    /** Whether the path is on the local file system (where the feature cache can be written). */
    boolean isLocal(String path) {
        return qualify(path).startsWith("file:");
    }

    String readText(String path) {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** A writer of the file's bytes. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes a file through a temporary name beside it and a rename, so readers see the old file or the
     * whole new one.
     */
    void writeAtomically(String path, Content content) {
        Path p = new Path(path);
        Path tmp = new Path(p.getParent(), "." + p.getName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            FileSystem fs = p.getFileSystem(conf);
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                content.writeTo(out);
            }
            if (fs.exists(p) && !fs.delete(p, false)) {
                throw new IOException("cannot replace " + p);
            }
            if (!fs.rename(tmp, p)) {
                throw new IOException("cannot rename " + tmp + " to " + p);
            }
        } catch (IOException e) {
            throw new InputException(path + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
