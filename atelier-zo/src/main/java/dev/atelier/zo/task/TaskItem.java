package dev.atelier.zo.task;

/**
 * One labelled text. {@code label} indexes the task's label words; {@code source} says where the
 * text comes from ({@code wordnet}, {@code gcide}, or a JSONL file name); {@code group} keys the
 * train/test split so near-duplicate texts of one headword never straddle it.
 */
public record TaskItem(String text, int label, String source, String group) {
    public TaskItem {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("task item with empty text");
        }
        if (label < 0) {
            throw new IllegalArgumentException("negative label " + label);
        }
    }
}
