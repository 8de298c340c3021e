package dev.atelier.zo.task;

import dev.atelier.zo.model.LmTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Task items as token rows for a model: {@link Prompt#prompt} encoded, then the label word's
 * completion tokens. A prompt too long for the model keeps its first token (the tokenizer's BOS,
 * if any) and its last tokens, so the arrow and the label position stay. Stateless.
 */
public final class TaskRows {
    private TaskRows() {}

    /** One item: {@code prompt} ids and, per label, that label's completion ids. */
    public record Encoded(int[] prompt, int[][] completions) {
        /** The prompt followed by label {@code label}'s completion. */
        public int[] row(int label) {
            int[] c = completions[label];
            int[] r = Arrays.copyOf(prompt, prompt.length + c.length);
            System.arraycopy(c, 0, r, prompt.length, c.length);
            return r;
        }
    }

    /** Completion ids of each label word: encode(prompt + completion) minus encode(prompt). */
    public static int[][] completions(LmTokenizer tok, List<String> labelWords) {
        int[][] out = new int[labelWords.size()][];
        String probe = "x";
        int[] base = tok.encode(Prompt.prompt(probe));
        for (int i = 0; i < out.length; i++) {
            int[] full = tok.encode(Prompt.row(probe, labelWords.get(i)));
            if (full.length <= base.length || !Arrays.equals(base, Arrays.copyOf(full, base.length))) {
                throw new IllegalArgumentException("label word '" + labelWords.get(i)
                        + "' does not tokenize as a continuation of the prompt (no tokens of its own)");
            }
            out[i] = Arrays.copyOfRange(full, base.length, full.length);
        }
        return out;
    }

    public static Encoded encode(LmTokenizer tok, int[][] completions, String text, int maxPositions) {
        int[] prompt = tok.encode(Prompt.prompt(text));
        int longest = Arrays.stream(completions).mapToInt(c -> c.length).max().orElse(0);
        int room = maxPositions - longest;
        if (room < 2) {
            throw new IllegalArgumentException(
                    "label words of " + longest + " tokens leave no room in " + maxPositions + " positions");
        }
        if (prompt.length > room) {
            int[] cut = new int[room];
            cut[0] = prompt[0];
            System.arraycopy(prompt, prompt.length - (room - 1), cut, 1, room - 1);
            prompt = cut;
        }
        return new Encoded(prompt, completions);
    }
}
