package dev.atelier.ml.data;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Splits a data set over federated nodes. A partitioner sees only the label array of the data to split
 * (e.g. {@code privateTrain.labels()}) and returns, per node, indices into that array.
 *
 * <p>Contract of every implementation: the result is disjoint, covers every index exactly once, gives
 * every node at least one example, and is a pure function of (labels, numNodes, seed). Labels must be
 * {@code >= 0}; the number of classes is taken as {@code max(label) + 1}.
 *
 * <p>Command-line form, parsed by {@link #parse(String)}: {@value #VALID_FORMS}.
 *
 * <p>Thread-safety: implementations are immutable records; {@code partition} may be called
 * concurrently.
 */
public sealed interface Partitioner permits IidPartitioner, DirichletPartitioner, ShardPartitioner, UnequalPartitioner {

    /** The accepted spec strings, quoted in error messages. */
    String VALID_FORMS = "iid | dirichlet:ALPHA[:MIN_SIZE] (e.g. dirichlet:0.5) | shards:K (e.g. shards:2)"
            + " | unequal:SIGMA (e.g. unequal:1.5)";

    /**
     * Assigns every index of {@code labels} to one of {@code numNodes} nodes.
     *
     * @throws IllegalArgumentException if the data cannot be split this way (too few examples, bad
     *     labels, an unreachable minimum size); the message says which parameter to change
     */
    Partition partition(int[] labels, int numNodes, long seed);

    /** The canonical spec string, accepted back by {@link #parse(String)}. */
    String spec();

    /**
     * Parses a spec such as {@code iid}, {@code dirichlet:0.5}, {@code dirichlet:0.1:20}, {@code
     * shards:2} or {@code unequal:1.5} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid forms if the spec is malformed
     */
    static Partitioner parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw invalid(spec, "it is empty");
        }
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
        String scheme = parts[0];
        return switch (scheme) {
            case "iid" -> {
                requireArgs(spec, parts, 0, 0);
                yield new IidPartitioner();
            }
            case "dirichlet" -> {
                requireArgs(spec, parts, 1, 2);
                double alpha = number(spec, parts[1]);
                if (parts.length == 3) {
                    int minSize = integer(spec, parts[2]);
                    yield checked(spec, () -> new DirichletPartitioner(alpha, minSize));
                }
                yield checked(spec, () -> new DirichletPartitioner(alpha));
            }
            case "shards" -> {
                requireArgs(spec, parts, 1, 1);
                int k = integer(spec, parts[1]);
                yield checked(spec, () -> new ShardPartitioner(k));
            }
            case "unequal" -> {
                requireArgs(spec, parts, 1, 1);
                double sigma = number(spec, parts[1]);
                yield checked(spec, () -> new UnequalPartitioner(sigma));
            }
            default -> throw invalid(spec, "unknown scheme '" + scheme + "'");
        };
    }

    /** Turns a constructor's range check into a spec error that also lists the valid forms. */
    private static Partitioner checked(String spec, Supplier<Partitioner> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw invalid(spec, e.getMessage());
        }
    }

    private static double number(String spec, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw invalid(spec, "'" + text + "' is not a number");
        }
    }

    private static int integer(String spec, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid(spec, "'" + text + "' is not a whole number");
        }
    }

    private static void requireArgs(String spec, String[] parts, int min, int max) {
        int args = parts.length - 1;
        if (args < min || args > max) {
            throw invalid(
                    spec,
                    "'" + parts[0] + "' takes " + (min == max ? min : min + " to " + max) + " argument"
                            + (max == 1 ? "" : "s") + " but got " + args);
        }
    }

    private static IllegalArgumentException invalid(String spec, String why) {
        return new IllegalArgumentException(
                "invalid partition spec '" + spec + "' (" + why + "); valid forms: " + VALID_FORMS);
    }
}
