package dev.atelier.zo.zorba;

import java.util.Locale;

/**
 * The bench's numbers from one {@link DemoResult} (docs/benchmarks.md, "ZorBA"): the largest
 * participating ZorBA client's measured peak ÷ the first-order client's and ÷ the full-model ZO
 * client's (goals ≤ 0.35 and < 1), ZorBA's largest upload per store per round (goal ≤ 1 KiB), and
 * ZorBA's test-accuracy gap to first-order FedAvg after the same rounds with a 95% interval
 * (Newcombe's hybrid score interval for a difference of two proportions, from each method's Wilson
 * interval; it treats the two scorings of the one test split as independent, which makes it wider
 * than a paired interval). Immutable.
 */
public record ZorbaRatios(
        double peakVsFirstOrder,
        double peakVsFullZo,
        long uploadBytes,
        double accuracyGap,
        double gapLow,
        double gapHigh,
        double zorbaSecondsPerRound,
        double firstOrderSecondsPerRound,
        double fullZoSecondsPerRound) {
    public static ZorbaRatios of(DemoResult r) {
        DemoResult.Method fo = method(r, ZorbaDemo.FO);
        DemoResult.Method full = method(r, ZorbaDemo.FULL_ZO);
        DemoResult.Method z = method(r, ZorbaDemo.ZORBA);
        DemoResult.Point a = z.last();
        DemoResult.Point b = fo.last();
        double d = a.accuracy() - b.accuracy();
        double low = d - Math.hypot(a.accuracy() - a.low(), b.high() - b.accuracy());
        double high = d + Math.hypot(a.high() - a.accuracy(), b.accuracy() - b.low());
        return new ZorbaRatios(
                (double) z.maxMeasuredPeak() / fo.maxMeasuredPeak(),
                (double) z.maxMeasuredPeak() / full.maxMeasuredPeak(),
                z.maxUpload(),
                d,
                low,
                high,
                z.secondsPerRound(),
                fo.secondsPerRound(),
                full.secondsPerRound());
    }

    private static DemoResult.Method method(DemoResult r, String name) {
        return r.methods().stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the result has no row '" + name + "'"));
    }

    /** The bench's printout, one line per number with its goal. */
    public String format() {
        return String.format(
                Locale.ROOT,
                "ZorBA client peak / first-order client peak: %.3f (goal <= 0.35)%n"
                        + "ZorBA client peak / full-model ZO client peak: %.3f (goal < 1)%n"
                        + "ZorBA upload per store per round (max): %d B (goal <= 1024)%n"
                        + "accuracy gap ZorBA - first-order after the same rounds: %+.3f [%+.3f, %+.3f] (95%%)%n"
                        + "wall time per round: ZorBA %.1f s, full-model ZO %.1f s, first-order %.1f s%n",
                peakVsFirstOrder,
                peakVsFullZo,
                uploadBytes,
                accuracyGap,
                gapLow,
                gapHigh,
                zorbaSecondsPerRound,
                fullZoSecondsPerRound,
                firstOrderSecondsPerRound);
    }
}
