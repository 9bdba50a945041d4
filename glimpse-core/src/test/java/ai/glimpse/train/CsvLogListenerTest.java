package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training log across a resumption, including a log written before its last columns existed. */
class CsvLogListenerTest {
    @TempDir
    Path dir;

    @Test
    void aResumedRunWithAnOlderShorterHeaderGetsTheCurrentOneAndDropsRowsAfterItsCheckpoint() throws Exception {
        Path log = dir.resolve("run.log.csv");
        String oldHeader = "kind,step,epoch,loss,cross_entropy,alpha_penalty,grad_norm,learning_rate,images_per_s,metric,value,word_loss";
        Files.writeString(log, oldHeader + "\n"
                + "step,1,1,2.500000,2.000000,0.500000,1.0000,0.001,10.00,,,0.000000\n"
                + "step,2,1,2.400000,1.900000,0.500000,1.0000,0.001,10.00,,,0.000000\n");
        TrainerState atCheckpoint = TrainerState.start(1e-3).afterStep();   // step 1: the run stopped after step 2
        CsvLogListener listener = new CsvLogListener(log);
        listener.onStart(atCheckpoint, 10, 10);
        listener.onStep(new TrainingListener.StepReport(atCheckpoint.afterStep(), 10, 2.75, 2.0, 0.1, 0.2, 0.45, 1.0, 4, 0.5));
        listener.onEnd(atCheckpoint.afterStep());

        List<String> lines = Files.readAllLines(log);
        assertEquals(CsvLogListener.HEADER, lines.get(0));
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertEquals("step,1,1,2.500000,2.000000,0.500000,1.0000,0.001,10.00,,,0.000000", lines.get(1), "the old row is kept as it was");
        String[] f = lines.get(2).split(",", -1);
        assertEquals(CsvLogListener.HEADER.split(",").length, f.length, lines.get(2));
        assertEquals("2", f[1]);
        assertEquals(0.1, Double.parseDouble(f[5]), "the penalty");
        assertEquals(0.2, Double.parseDouble(f[11]), "the word loss");
        assertEquals(0.45, Double.parseDouble(f[12]), "the context loss in the new last column");
    }
}
