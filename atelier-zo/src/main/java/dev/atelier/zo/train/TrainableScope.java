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
 * Every party of a federation parses the same string ({@code zo.trainable}), so all perturb and
 * replay the same tensors; the noise stays keyed by the tensor's index in the full list
 * ({@link Trainable}), so a scoped step moves its tensors exactly as a full step would. Why a
 * scope: ZO-SGD's step variance grows with the number of perturbed parameters, so a small
 * trainable subset learns with far fewer perturbations (docs/zo.md). Immutable, thread-safe.
 */
public final class TrainableScope implements Predicate<String> {
    public static final TrainableScope ALL = new TrainableScope("", List.of());

    private static final int MAX_TEXT = 4096;

    private final String text;
    private final List<Pattern> globs;

    private TrainableScope(String text, List<Pattern> globs) {
        this.text = text;
        this.globs = List.copyOf(globs);
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
        for (String g : t.split(",", -1)) {
            String s = g.strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("zo.trainable '" + t + "' has an empty entry");
            }
            StringBuilder re = new StringBuilder();
            for (String part : s.split("\\*", -1)) {
                if (!re.isEmpty()) {
                    re.append(".*");
                }
                re.append(Pattern.quote(part));
            }
            out.add(Pattern.compile(re.toString()));
        }
        return new TrainableScope(t, out);
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
        Trainable out = trainable.restrictNames(this);
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
