package dev.atelier.zo.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which tensors a zeroth-order run perturbs and updates, by checkpoint name: a comma-separated
 * list of globs, each matched against the whole name, where {@code *} stands for any run of
 * characters (including dots) and every other character is literal; empty (or {@code *}) = every
 * tensor. E.g. {@code *ln_f.*,*h.1.*} = the final norm and the last block of a 2-block GPT-2.
 * A glob may end in a row list, {@code GLOB[ROWS]}: only those rows of the tensor's first
 * dimension are perturbed and updated, ROWS being comma-separated row indices or inclusive
 * ranges {@code a-b} (at most {@link #MAX_ROWS} rows), e.g. {@code wte.weight[17,250-252]} = four
 * rows of the (tied) output head, the label words' (docs/zo.md, "Trainable scope"); each row's
 * elements get the z a whole-tensor step gives them ({@link ZoNoise#addScaledRows}). A tensor
 * matched by a glob without rows is trainable whole; rows of several globs on one tensor unite.
 * Every party of a federation parses the same string ({@code zo.trainable}), so all perturb and
 * replay the same tensors; the noise stays keyed by the tensor's index in the full list
 * ({@link Trainable}), so a scoped step moves its tensors exactly as a full step would. Why a
 * scope: ZO-SGD's step variance grows with the number of perturbed parameters, so a small
 * trainable subset learns with far fewer perturbations (docs/zo.md). Immutable, thread-safe.
 */
public final class TrainableScope implements Predicate<String> {
    public static final TrainableScope ALL = new TrainableScope("", List.of(), List.of());

    private static final int MAX_TEXT = 4096;
    /** Rows one glob may name. */
    public static final int MAX_ROWS = 65536;

    private final String text;
    private final List<Pattern> globs;
    /** Per glob its rows, ascending and distinct, or null (the whole tensor). */
    private final List<int[]> rows;

    private TrainableScope(String text, List<Pattern> globs, List<int[]> rows) {
        this.text = text;
        this.globs = List.copyOf(globs);
        this.rows = new ArrayList<>(rows);
    }

    /** Parses {@code text}; blank entries are refused, a blank text is {@link #ALL}. */
    public static TrainableScope parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.length() > MAX_TEXT) {
            throw new IllegalArgumentException("zo.trainable is " + t.length() + " characters, at most " + MAX_TEXT);
        }
        if (t.isEmpty() || t.equals("*")) {
            return ALL;
        }
        List<Pattern> out = new ArrayList<>();
        List<int[]> rowLists = new ArrayList<>();
        for (String g : splitTopLevel(t)) {
            String s = g.strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("zo.trainable '" + t + "' has an empty entry");
            }
            int[] r = null;
            int open = s.indexOf('[');
            if (open >= 0) {
                if (!s.endsWith("]") || s.indexOf('[', open + 1) >= 0 || s.indexOf(']') != s.length() - 1) {
                    throw new IllegalArgumentException("zo.trainable entry '" + s
                            + "': a row list is one [ROWS] at the end, e.g. wte.weight[3,7-9]");
                }
                r = parseRows(s, s.substring(open + 1, s.length() - 1));
                s = s.substring(0, open).strip();
                if (s.isEmpty()) {
                    throw new IllegalArgumentException("zo.trainable entry '" + g.strip() + "' names no tensor");
                }
            }
            StringBuilder re = new StringBuilder();
            for (String part : s.split("\\*", -1)) {
                if (!re.isEmpty()) {
                    re.append(".*");
                }
                re.append(Pattern.quote(part));
            }
            out.add(Pattern.compile(re.toString()));
            rowLists.add(r);
        }
        return new TrainableScope(t, out, rowLists);
    }

    /** Splits on commas outside brackets. */
    private static List<String> splitTopLevel(String t) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch == '[') {
                depth++;
            } else if (ch == ']') {
                depth--;
                if (depth < 0) {
                    throw new IllegalArgumentException("zo.trainable '" + t + "' has an unmatched ']'");
                }
            } else if (ch == ',' && depth == 0) {
                parts.add(t.substring(from, i));
                from = i + 1;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("zo.trainable '" + t + "' has an unclosed '['");
        }
        parts.add(t.substring(from));
        return parts;
    }

    private static int[] parseRows(String entry, String list) {
        java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
        for (String item : list.split(",", -1)) {
            String x = item.strip();
            int dash = x.indexOf('-', 1);
            try {
                int lo = Integer.parseInt(dash < 0 ? x : x.substring(0, dash).strip());
                int hi = dash < 0 ? lo : Integer.parseInt(x.substring(dash + 1).strip());
                if (lo < 0 || hi < lo) {
                    throw new IllegalArgumentException("zo.trainable entry '" + entry + "': row range '" + x
                            + "' must be a >= 0 index or an ascending range a-b");
                }
                if ((long) hi - lo + 1 + set.size() > MAX_ROWS) {
                    throw new IllegalArgumentException(
                            "zo.trainable entry '" + entry + "' names more than " + MAX_ROWS + " rows");
                }
                for (int v = lo; v <= hi; v++) {
                    set.add(v);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("zo.trainable entry '" + entry + "': '" + x
                        + "' is not a row index or range a-b (rows are integers, e.g. [3,7-9])");
            }
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The rows of tensor {@code name} this scope trains, ascending and distinct, or null for the
     * whole tensor (also when the scope does not admit it at all: ask {@link #test} first).
     */
    public int[] rows(String name) {
        java.util.TreeSet<Integer> set = null;
        for (int i = 0; i < globs.size(); i++) {
            if (!globs.get(i).matcher(name).matches()) {
                continue;
            }
            int[] r = rows.get(i);
            if (r == null) {
                return null;
            }
            if (set == null) {
                set = new java.util.TreeSet<>();
            }
            for (int v : r) {
                set.add(v);
            }
        }
        return set == null ? null : set.stream().mapToInt(Integer::intValue).toArray();
    }

    public boolean all() {
        return globs.isEmpty();
    }

    @Override
    public boolean test(String name) {
        if (globs.isEmpty()) {
            return true;
        }
        for (Pattern p : globs) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** {@code trainable}'s tensors whose names this scope admits; refuses a scope that admits none. */
    public Trainable restrict(Trainable trainable) {
        if (globs.isEmpty()) {
            return trainable;
        }
        Trainable out = trainable.restrictScope(this);
        if (out.entries().isEmpty()) {
            throw new IllegalArgumentException("zo.trainable '" + text + "' matches no tensor of the model");
        }
        return out;
    }

    /** The text it was parsed from ("" for {@link #ALL}). */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainableScope s && s.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
