package dev.atelier.zo.task;

import java.util.List;

/**
 * A text-classification task scored through label words: the model reads
 * {@link Prompt#prompt(String)} and the class whose label word it finds likeliest next is the
 * prediction. {@code train} is what stores fine-tune on (split further by {@link StoreSplit});
 * {@code test} is fixed and never trained or pretrained on. Immutable.
 */
public record TextTask(String name, List<String> labelWords, List<TaskItem> train, List<TaskItem> test) {
    public TextTask {
        labelWords = List.copyOf(labelWords);
        train = List.copyOf(train);
        test = List.copyOf(test);
        if (labelWords.size() < 2) {
            throw new IllegalArgumentException(name + ": a task needs at least two labels, got " + labelWords);
        }
        if (labelWords.stream().distinct().count() != labelWords.size()) {
            throw new IllegalArgumentException(name + ": label words repeat: " + labelWords);
        }
        for (List<TaskItem> part : List.of(train, test)) {
            for (TaskItem it : part) {
                if (it.label() >= labelWords.size()) {
                    throw new IllegalArgumentException(
                            name + ": label " + it.label() + " has no label word (" + labelWords.size() + " labels)");
                }
            }
        }
    }

    /** Items per label in {@code items}. */
    public int[] counts(List<TaskItem> items) {
        int[] c = new int[labelWords.size()];
        for (TaskItem it : items) {
            c[it.label()]++;
        }
        return c;
    }
}
