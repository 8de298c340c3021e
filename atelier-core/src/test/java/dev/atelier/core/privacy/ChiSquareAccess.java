package dev.atelier.core.privacy;

/** Lets the secagg tests use the package-private {@link ChiSquare} helper. */
public final class ChiSquareAccess {
    private ChiSquareAccess() {}

    public static double statistic(long[] observed, double[] p) {
        return ChiSquare.statistic(observed, p);
    }

    public static double critical(int df) {
        return ChiSquare.critical(df);
    }
}
