package dev.atelier.cli.lm;

import dev.atelier.core.params.Safetensors;
import dev.atelier.zo.eval.LmEval;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code atelier lm eval}: mean causal-LM loss of token rows, optionally their logits. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Print `loss <mean>`: shift-by-one cross entropy with labels = input ids, averaged over every predicted"
                    + " position of every row (rows may differ in length)."
        })
public final class LmEvalCommand implements Callable<Integer> {
    @Mixin
    ModelInput in;

    @Option(
            names = "--logits-out",
            paramLabel = "FILE",
            description = "Also write the logits as safetensors: tensor `logits`, F32 [rows, tokens, vocab]"
                    + " (needs rows of equal length).")
    Path logitsOut;

    @Override
    public Integer call() throws Exception {
        try (ModelInput.Loaded m = in.open()) {
            int[][] rows = m.rows();
            if (logitsOut != null) {
                for (int[] r : rows) {
                    if (r.length != rows[0].length) {
                        throw new IllegalArgumentException("--logits-out needs rows of equal length, got "
                                + rows[0].length + " and " + r.length + " tokens");
                    }
                }
            }
            LmEval.Result result = LmEval.evaluate(m.lm(), rows, logitsOut != null);
            if (logitsOut != null) {
                Safetensors.write(result.logitsParamSet(rows), logitsOut);
            }
            System.out.println("loss " + result.loss().mean());
        }
        return 0;
    }
}
