package ai.glimpse.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A stand-in for {@code meteor-1.5.jar} that speaks its {@code -stdio} protocol, for tests only; it
 * depends on nothing but the JDK so that tests can pack it alone into a jar.
 *
 * <p>Statistics of a {@code SCORE} line: "m h", m the candidate words found among the references'
 * words, h the candidate's word count. {@code EVAL} answers m/h per image (0 when h is 0) and then
 * sum(m)/sum(h). Every input line is appended to {@code meteor-input.log} and the process id written to
 * {@code meteor.pid} in the working folder. With the toolkit's arguments it needs a {@code data} folder
 * there, as METEOR does; with one argument it misbehaves as named: {@code crash}, {@code garbage},
 * {@code hang}.
 */
public final class FakeMeteor {
    private FakeMeteor() {
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of("meteor.pid"), Long.toString(ProcessHandle.current().pid()));
        String mode;
        if (Arrays.asList(args).equals(List.of("-", "-", "-stdio", "-l", "en", "-norm"))) {
            if (!Files.isDirectory(Path.of("data"))) {
                System.err.println("Error: cannot find METEOR data directory");
                System.exit(3);
            }
            mode = "normal";
        } else if (args.length == 1) {
            mode = args[0];
        } else {
            System.err.println("usage: meteor - - -stdio -l en -norm");
            System.exit(2);
            return;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            Files.writeString(Path.of("meteor-input.log"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (mode.equals("hang")) {
                continue;
            }
            if (mode.equals("crash")) {
                System.err.println("java.lang.RuntimeException: boom");
                System.exit(1);
            }
            String[] parts = line.split(" \\|\\|\\| ", -1);
            if (parts[0].equals("SCORE")) {
                out.println(stats(parts));
            } else if (parts[0].equals("EVAL")) {
                if (mode.equals("garbage")) {
                    out.println("not a number");
                    continue;
                }
                double matched = 0;
                double words = 0;
                for (int i = 1; i < parts.length; i++) {
                    String[] mh = parts[i].split(" ");
                    double m = Double.parseDouble(mh[0]);
                    double h = Double.parseDouble(mh[1]);
                    out.println(h == 0 ? 0.0 : m / h);
                    matched += m;
                    words += h;
                }
                out.println(words == 0 ? 0.0 : matched / words);
            } else {
                System.err.println("unknown command " + parts[0]);
            }
        }
    }

    private static String stats(String[] parts) {
        Set<String> refWords = new HashSet<>();
        for (int i = 1; i < parts.length - 1; i++) {
            refWords.addAll(Arrays.asList(parts[i].split(" ")));
        }
        int matched = 0;
        int words = 0;
        for (String w : parts[parts.length - 1].split(" ")) {
            if (!w.isEmpty()) {
                words++;
                if (refWords.contains(w)) {
                    matched++;
                }
            }
        }
        return matched + " " + words;
    }
}
