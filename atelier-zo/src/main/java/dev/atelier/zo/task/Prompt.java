package dev.atelier.zo.task;

/**
 * The one text format every model here sees, in pretraining and in the task: a definition, then
 * {@value #ARROW}, then the word it defines ("a short coat -> jacket"). The task asks for the
 * category's label word in the word's place, so a model pretrained as a reverse dictionary on
 * real glosses has a meaningful zero-shot guess. Stateless.
 */
public final class Prompt {
    public static final String ARROW = " ->";

    /** Longest definition kept, in whitespace-separated words (longer ones are cut), so rows fit 64 positions. */
    public static final int MAX_WORDS = 40;

    private Prompt() {}

    public static String prompt(String text) {
        return clip(text) + ARROW;
    }

    /** The continuation scored or trained for {@code word} (a leading space, as GPT-2-style tokenizers expect). */
    public static String completion(String word) {
        return " " + word;
    }

    public static String row(String text, String word) {
        return prompt(text) + completion(word);
    }

    static String clip(String text) {
        String[] w = text.strip().split("\\s+");
        return w.length <= MAX_WORDS ? String.join(" ", w) : String.join(" ", java.util.Arrays.copyOf(w, MAX_WORDS));
    }
}
