package ai.glimpse.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import picocli.CommandLine;

/** A Karpathy-layout dataset of 8 plain 16 px images (6 train, 2 val) for CLI tests, and a runner. */
final class TinyDataset {
    private TinyDataset() {
    }

    /** Writes DIR/images/im0..7.png and DIR/dataset.json; returns the captions file. */
    static Path write(Path dir) throws IOException {
        String[] colours = {"red", "blue"};
        Color[] rgb = {Color.RED, Color.BLUE};
        List<String> entries = new ArrayList<>();
        Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 8; i++) {
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(rgb[i % 2]);
            g.fillRect(0, 0, 16, 16);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("images/im" + i + ".png").toFile());
            String split = i < 6 ? "train" : "val";
            String c = colours[i % 2];
            entries.add("{\"filename\": \"im" + i + ".png\", \"imgid\": " + i + ", \"cocoid\": " + (100 + i) + ", \"split\": \""
                    + split + "\", \"sentences\": [{\"raw\": \"a " + c + " square\", \"tokens\": [\"a\", \"" + c + "\", \"square\"]},"
                    + " {\"raw\": \"the " + c + " picture\", \"tokens\": [\"the\", \"" + c + "\", \"picture\"]}]}");
        }
        Path captions = dir.resolve("dataset.json");
        Files.writeString(captions, "{\"dataset\": \"tiny\", \"images\": [" + String.join(",", entries) + "]}");
        return captions;
    }

    /** The arguments that train a nano model on it (options may be overridden by later ones). */
    static List<String> trainArgs(Path dir, Path captions) {
        return new ArrayList<>(List.of("train", "--captions", captions.toString(), "--images",
                dir.resolve("images").toString(), "--image-size", "16", "--channels", "4,8", "--embed-dim", "8",
                "--hidden-dim", "8", "--attention-dim", "6", "--min-freq", "1", "--max-length", "5",
                "--batch-size", "4", "--epochs", "2"));
    }

    /** Output and exit code of one command line. */
    record Run(int code, String out, String err) {
    }

    static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOverwrittenOptionsAllowed(true);                        // a test's extra flags replace the defaults
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
