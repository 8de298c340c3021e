package dev.atelier.cli.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.cli.CliRun;
import dev.atelier.core.testing.Prerequisite;
import dev.atelier.zo.eval.ForwardBench;
import dev.atelier.zo.model.CausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code atelier lm bench} and {@code lm init}; the PyTorch mirror where Debian's python3-torch is installed. */
class LmBenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void benchTimesTheJavaForward() {
        var r = CliRun.of(
                "lm",
                "bench",
                "--model",
                LmCommandTest.REFS.resolve("tiny-gpt2").toString(),
                "--tokens",
                "12",
                "--warmup",
                "0",
                "--runs",
                "2",
                "--no-python");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("gpt2, 136192 parameters, 12 tokens").containsPattern("java +[0-9.]+ tokens/s");
    }

    @Test
    void initRefusesUnknownPresetsAndNonEmptyFolders() throws Exception {
        var unknown = CliRun.of(
                "lm", "init", "--preset", "gpt5", "--out", tmp.resolve("x").toString());
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("unknown preset 'gpt5'");
        Files.writeString(tmp.resolve("keep.txt"), "mine");
        var busy = CliRun.of("lm", "init", "--preset", "gpt2-124m", "--out", tmp.toString());
        assertThat(busy.exitCode()).isNotZero();
        assertThat(busy.err()).contains("is not empty");
        assertThat(Files.readString(tmp.resolve("keep.txt"))).isEqualTo("mine");
    }

    /** The plain-PyTorch mirror reproduces Java's logits on every reference (and so transformers'). */
    @Test
    void pytorchMirrorMatchesJavaOnTheReferences() throws Exception {
        Prerequisite.require(
                ForwardBench.hasTorch("/usr/bin/python3"),
                "needs Debian's python3-torch (apt-get install python3-torch)");
        for (String name : new String[] {"tiny-gpt2", "tiny-opt", "tiny-llama"}) {
            Path dir = LmCommandTest.REFS.resolve(name);
            CausalLm lm = CausalLm.load(dir);
            int[] ids = ForwardBench.ids(lm.config().dims().vocabSize(), 20, 3);
            Path check = tmp.resolve(name + ".safetensors");
            ForwardBench.writeCheck(lm, ids, check);
            var torch = ForwardBench.torch("/usr/bin/python3", dir, check, 1e-4, 1, 0, 1);
            assertThat(torch.maxAbsDiff()).as(name).isLessThan(1e-5);
            assertThat(torch.timing().tokens()).isEqualTo(20);
        }
    }
}
