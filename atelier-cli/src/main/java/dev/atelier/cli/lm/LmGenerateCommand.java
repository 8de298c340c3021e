package dev.atelier.cli.lm;

import dev.atelier.zo.model.Greedy;
import dev.atelier.zo.model.HfConfigReader;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code atelier lm generate}: greedy continuation of one prompt. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Print the greedy output (prompt included) on one line: comma-separated ids for --ids, text for --text."
                    + " Stops early after an eos_token_id (generation_config.json, else config.json) unless --ignore-eos."
        })
public final class LmGenerateCommand implements Callable<Integer> {
    @Mixin
    ModelInput in;

    @Option(
            names = "--max-new-tokens",
            defaultValue = "8",
            description = "Tokens to generate (default: ${DEFAULT-VALUE}); capped at the model's max positions.")
    int maxNewTokens;

    @Option(names = "--ignore-eos", description = "Do not stop at an end-of-sequence token.")
    boolean ignoreEos;

    @Override
    public Integer call() throws Exception {
        if (maxNewTokens < 0 || maxNewTokens > 1_000_000) {
            throw new IllegalArgumentException("--max-new-tokens must be in [0, 1000000], got " + maxNewTokens);
        }
        try (ModelInput.Loaded m = in.open()) {
            int[][] rows = m.rows();
            if (rows.length != 1) {
                throw new IllegalArgumentException(
                        "lm generate takes one prompt, got " + rows.length + " rows (drop the ';' or extra --text)");
            }
            Set<Integer> stop = ignoreEos ? Set.of() : HfConfigReader.eosTokenIds(in.model);
            int[] out = Greedy.generate(m.lm(), rows[0], maxNewTokens, stop);
            System.out.println(m.tokenizer().isPresent() ? m.tokenizer().get().decode(out) : TokenRows.join(out));
        }
        return 0;
    }
}
