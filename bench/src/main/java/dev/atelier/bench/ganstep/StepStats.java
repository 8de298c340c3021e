package dev.atelier.bench.ganstep;

import java.util.Arrays;

/**
 * Summary of timed steps, in milliseconds.
 *
 * @param median median (mean of the middle two for an even count)
 * @param mean   arithmetic mean
 * @param min    fastest step
 * @param max    slowest step
 */
record StepStats(double median, double mean, double min, double max) {
    /** Summary of {@code ms} (at least one value; not modified). */
    static StepStats of(double[] ms) {
        if (ms.length == 0) {
            throw new IllegalArgumentException("no timed steps");
        }
        double[] s = ms.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new StepStats(median, Arrays.stream(s).average().orElseThrow(), s[0], s[n - 1]);
    }
}
