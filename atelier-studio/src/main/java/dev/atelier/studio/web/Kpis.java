package dev.atelier.studio.web;

import dev.atelier.studio.store.KeptSketch;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The seed KPIs from her own use: time-to-sketch percentiles (nearest rank) over the page-measured
 * upload-to-shown times, sketches generated and kept per UTC day, and the keep rate (kept over
 * decided). Stateless.
 *
 * @param medianMs median time-to-sketch, NaN without measurements
 * @param p95Ms 95th percentile, NaN without measurements
 * @param measured number of measurements
 * @param perDay generated and kept per day, oldest first
 * @param generated all sketches generated
 * @param kept sketches kept
 * @param decided sketches kept or discarded
 */
public record Kpis(
        double medianMs,
        double p95Ms,
        int measured,
        SortedMap<LocalDate, int[]> perDay,
        int generated,
        int kept,
        int decided) {
    public static Kpis of(List<Double> shownMs, List<KeptSketch> sketches) {
        SortedMap<LocalDate, int[]> days = new TreeMap<>();
        int kept = 0;
        int decided = 0;
        for (KeptSketch s : sketches) {
            int[] d = days.computeIfAbsent(LocalDate.ofInstant(s.created(), ZoneOffset.UTC), k -> new int[2]);
            d[0]++;
            if (s.decision() != null) {
                decided++;
                if (s.decision()) {
                    kept++;
                    d[1]++;
                }
            }
        }
        return new Kpis(
                percentile(shownMs, 50), percentile(shownMs, 95), shownMs.size(), days, sketches.size(), kept, decided);
    }

    /** Keep rate in [0,1], NaN before any decision. */
    public double keepRate() {
        return decided == 0 ? Double.NaN : (double) kept / decided;
    }

    /** Nearest-rank percentile {@code p} in (0,100]; NaN for no values. */
    public static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
