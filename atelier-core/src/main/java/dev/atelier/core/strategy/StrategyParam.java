package dev.atelier.core.strategy;

import java.util.Locale;

/**
 * One numeric parameter of a strategy spec, e.g. {@code f} in {@code krum:f=2}: its name, whether
 * it is an integer, the accepted range and the default ({@code NaN} when the parameter is
 * required). Declared once per strategy in {@link StrategySpec}; {@link StrategyRegistry} parses
 * and range-checks spec text with it, and the spec records check programmatic values with it.
 * Immutable.
 *
 * @param name         key in the spec text
 * @param integer      only whole numbers are accepted
 * @param min          lower bound
 * @param minInclusive whether {@code min} itself is accepted
 * @param max          upper bound ({@code +Infinity} for none; values must be finite anyway)
 * @param maxInclusive whether {@code max} itself is accepted
 * @param fallback     the default, or {@code NaN} when the spec must give the parameter
 */
public record StrategyParam(
        String name,
        boolean integer,
        double min,
        boolean minInclusive,
        double max,
        boolean maxInclusive,
        double fallback) {

    /** A real parameter in a range. */
    static StrategyParam real(
            String name, double fallback, double min, boolean minInclusive, double max, boolean maxInclusive) {
        return new StrategyParam(name, false, min, minInclusive, max, maxInclusive, fallback);
    }

    /** A whole-number parameter {@code >= min}; {@code fallback} NaN makes it required. */
    static StrategyParam count(String name, double fallback, int min) {
        return new StrategyParam(name, true, min, true, Integer.MAX_VALUE, true, fallback);
    }

    public boolean required() {
        return Double.isNaN(fallback);
    }

    public boolean accepts(double v) {
        if (!Double.isFinite(v) || (integer && v != Math.rint(v))) {
            return false;
        }
        boolean aboveMin = minInclusive ? v >= min : v > min;
        boolean belowMax = maxInclusive ? v <= max : v < max;
        return aboveMin && belowMax;
    }

    /** The accepted values in words, e.g. {@code an integer >= 0} or {@code in [0, 0.5)}. */
    public String range() {
        String kind = integer ? "an integer " : "";
        if (Double.isInfinite(max) || (integer && max == Integer.MAX_VALUE)) {
            return kind + (minInclusive ? ">= " : "> ") + format(min);
        }
        return kind + "in " + (minInclusive ? "[" : "(") + format(min) + ", " + format(max)
                + (maxInclusive ? "]" : ")");
    }

    /** E.g. {@code f (an integer >= 0, default 1)}. */
    public String describe() {
        return name + " (" + range() + (required() ? ", required" : ", default " + format(fallback)) + ")";
    }

    /** {@code v} if accepted, else an {@link IllegalArgumentException} naming the strategy and range. */
    public double check(String strategy, double v) {
        if (!accepts(v)) {
            throw new IllegalArgumentException(strategy + " " + name + " must be " + range() + ", got " + format(v));
        }
        return v;
    }

    /** Parses spec text for this parameter; null when it is not a number of the right kind. */
    Double parse(String text) {
        try {
            return integer ? (double) Long.parseLong(text) : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Shortest text that parses back to {@code v}: {@code 2}, {@code 0.01}, {@code 1.0E-9}. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return Double.toString(v);
    }
}
