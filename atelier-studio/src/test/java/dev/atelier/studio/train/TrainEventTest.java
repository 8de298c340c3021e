package dev.atelier.studio.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.util.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The child's progress protocol, including the Progress line format it is read from. */
class TrainEventTest {
    @Test
    void progressLinesOfCoreProgressBecomeEvents() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress("train", 350, new PrintStream(buf, true, StandardCharsets.UTF_8), 0);
        p.step(105, "l1 0.112 gram 4.10e-04");
        String line =
                buf.toString(StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElseThrow();
        TrainEvent e = TrainEvent.fromProgressLine(line.replace("\r", "").replace("\u001b[K", ""));
        assertThat(e).isNotNull();
        assertThat(e.done()).isEqualTo(105);
        assertThat(e.total()).isEqualTo(350);
        assertThat(e.l1()).isEqualTo(0.112);
        assertThat(TrainEvent.fromProgressLine("some log line")).isNull();
        TrainEvent prep = TrainEvent.prepare(e, "public feature network");
        assertThat(TrainEvent.parse(prep.toLine()).message())
                .isEqualTo("preparing public feature network (once per studio): 105/350");
    }

    @Test
    void linesRoundTripAndForeignOrHostileLinesAreDropped() {
        TrainEvent e = new TrainEvent("progress", 3, 10, 1.5, 3.5, 0.25, "");
        assertThat(TrainEvent.parse(e.toLine())).isEqualTo(e);
        assertThat(TrainEvent.parse("[main] INFO something")).isNull();
        assertThat(TrainEvent.parse(TrainEvent.PREFIX + "{\"kind\":\"rm -rf\"}"))
                .isNull();
        assertThat(TrainEvent.parse(TrainEvent.PREFIX + "not json")).isNull();
        TrainEvent bad = TrainEvent.parse(TrainEvent.PREFIX + "{\"kind\":\"progress\",\"done\":-5,\"total\":-9}");
        assertThat(bad.done()).isZero();
        assertThat(bad.total()).isZero();
    }
}
