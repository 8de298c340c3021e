package dev.atelier.sketch.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The two things every record of named scalar metrics ({@link SketchMetrics}, the trainer's and the
 * distiller's step losses) does: show its values as an ordered name → value map, and average a list
 * of records component-wise. Stateless.
 */
public final class NamedMetrics {
    private NamedMetrics() {}

    /**
     * An insertion-ordered map of {@code names[k] → values[k]}.
     *
     * @throws IllegalArgumentException if the two lengths differ
     */
    public static Map<String, Double> toMap(List<String> names, double... values) {
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " metric names for " + values.length + " values");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < values.length; k++) {
            m.put(names.get(k), values[k]);
        }
        return m;
    }

    /** Component-wise mean of {@code values(row)} over the rows; {@code width} zeros for an empty list. */
    public static <T> double[] mean(List<T> rows, Function<T, double[]> values, int width) {
        double[] s = new double[width];
        for (T row : rows) {
            double[] v = values.apply(row);
            for (int k = 0; k < width; k++) {
                s[k] += v[k];
            }
        }
        int n = Math.max(1, rows.size());
        for (int k = 0; k < width; k++) {
            s[k] /= n;
        }
        return s;
    }
}
