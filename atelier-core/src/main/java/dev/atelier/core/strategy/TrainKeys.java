package dev.atelier.core.strategy;

import dev.atelier.core.message.Config;

/** Config keys every strategy may send with a train instruction; workloads read them by these names. */
public final class TrainKeys {
    /** 1-based round number. */
    public static final String ROUND = "round";
    /** FedProx proximal coefficient mu (0 = plain local training). */
    public static final String PROXIMAL_MU = "proximal_mu";
    /** Local optimisation steps per round. */
    public static final String LOCAL_STEPS = "local_steps";
    /** Local learning rate. */
    public static final String LEARNING_RATE = "lr";
    /** Local batch size. */
    public static final String BATCH_SIZE = "batch_size";

    /**
     * Refuses a {@code train.*} config whose numeric keys do not parse or are out of range, so a
     * typo ({@code local_steps = 5O}) or a sign slip stops the coordinator at start instead of a
     * run that "completes" having learned nothing. Keys not listed here pass through unchecked.
     *
     * @param prefix how the keys are spelled in the operator's file (e.g. {@code "train."}), for
     *               the message
     * @throws IllegalArgumentException one line naming the key, the accepted range and the value
     */
    public static void check(Config train, String prefix) {
        integer(train, prefix, LOCAL_STEPS, 1, 100_000_000);
        integer(train, prefix, BATCH_SIZE, 1, 1 << 24);
        real(train, prefix, LEARNING_RATE, false);
        real(train, prefix, PROXIMAL_MU, true);
        if (train.has(ROUND)) {
            throw new IllegalArgumentException(
                    "'" + prefix + ROUND + "' is set by the coordinator every round; remove it from the config");
        }
    }

    private static void integer(Config c, String prefix, String key, long min, long max) {
        String v = c.getString(key, null);
        if (v == null) {
            return;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            n = Long.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(
                    "'" + prefix + key + "' must be an integer in [" + min + ", " + max + "], got '" + v + "'");
        }
    }

    /** A finite number, {@code > 0}, or {@code >= 0} when {@code zeroAllowed}. */
    private static void real(Config c, String prefix, String key, boolean zeroAllowed) {
        String v = c.getString(key, null);
        if (v == null) {
            return;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!Double.isFinite(d) || d < 0 || (d == 0 && !zeroAllowed)) {
            throw new IllegalArgumentException("'" + prefix + key + "' must be a finite number "
                    + (zeroAllowed ? ">= 0" : "> 0") + ", got '" + v + "'");
        }
    }

    private TrainKeys() {}
}
