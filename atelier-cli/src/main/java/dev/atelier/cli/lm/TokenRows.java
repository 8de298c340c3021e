package dev.atelier.cli.lm;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --ids} text: rows separated by {@code ;}, ids by {@code ,}, blanks ignored, e.g.
 * {@code "195,104,381;32,482,191"}. Every id must be an integer in [0, vocab); empty input and
 * empty rows are refused. Rows may differ in length.
 */
final class TokenRows {
    private TokenRows() {}

    static int[][] parse(String text, int vocab) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--ids is empty (expected e.g. \"195,104,381;32,482,191\")");
        }
        String[] rowTexts = text.split(";", -1);
        List<int[]> rows = new ArrayList<>();
        for (int r = 0; r < rowTexts.length; r++) {
            String rowText = rowTexts[r].strip();
            if (rowText.isEmpty()) {
                throw new IllegalArgumentException("--ids row " + (r + 1) + " is empty");
            }
            String[] parts = rowText.split(",", -1);
            int[] row = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                row[i] = id(parts[i].strip(), r + 1, vocab);
            }
            rows.add(row);
        }
        return rows.toArray(int[][]::new);
    }

    private static int id(String s, int row, int vocab) {
        if (!s.matches("[0-9]{1,10}")) {
            throw new IllegalArgumentException("--ids row " + row + ": '" + s + "' is not a token id (a non-negative"
                    + " integer; ids are separated by ',' and rows by ';')");
        }
        long v = Long.parseLong(s);
        if (v >= vocab) {
            throw new IllegalArgumentException(
                    "--ids row " + row + ": token id " + v + " is outside the model's vocabulary [0, " + vocab + ")");
        }
        return (int) v;
    }

    static String join(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append(ids[i]);
        }
        return sb.toString();
    }
}
