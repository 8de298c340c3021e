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

    /**
     * For tuning without the test split: the training items split by group into a new train part
     * and a validation part (the returned task's {@code test}), a group going to validation when
     * its {@link String#hashCode} (specified, so the same on every JVM) mixed by a fixed odd
     * constant falls in the lowest third; the test split is dropped.
     */
    public TextTask validation() {
        List<TaskItem> fit = new java.util.ArrayList<>();
        List<TaskItem> val = new java.util.ArrayList<>();
        for (TaskItem it : train) {
            long h = (it.group().hashCode() & 0xFFFFFFFFL) * 0x9E3779B97F4A7C15L;
            (Long.remainderUnsigned(h >>> 32, 3) == 0 ? val : fit).add(it);
        }
        if (fit.isEmpty() || val.isEmpty()) {
            throw new IllegalArgumentException(
                    name + ": " + train.size() + " training items in too few groups to" + " carve a validation split");
        }
        return new TextTask(name + "-validation", labelWords, fit, val);
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
