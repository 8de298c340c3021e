package dev.atelier.sketch.privacy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The empirical epsilon lower bound of "Privacy auditing with one (1) training run" (Steinke, Nasr
 * & Jagielski, NeurIPS 2023) from canaries each included by an independent fair coin
 * ({@link Canaries}): the attacker guesses "in" for the {@code r/2} highest-scored canaries and
 * "out" for the {@code r/2} lowest, abstaining on the rest; if the whole training is
 * epsilon-DP with respect to one sketch, the number of correct guesses is stochastically dominated
 * by {@code Binomial(r, e^ε / (1 + e^ε))}, so the largest epsilon whose tail at the observed count
 * is below {@code β} is a lower bound at confidence {@code 1 − β}.
 *
 * <p>This is the paper's pure-DP form (δ = 0). Under (ε, δ)-DP the paper adds a term of order
 * {@code m·δ} to the tail, which is not subtracted here: with δ = 1e-5 and a few hundred canaries it
 * is ~1e-3 against β = 0.05, a slightly optimistic bound (report it as such). The guess count is
 * chosen from {@link #GUESS_FRACTIONS} after seeing the scores, paid for by a Bonferroni split of β.
 * All designers' canaries are pooled: a sketch is touched only by its designer's DP-SGD, everything
 * else that depends on it is post-processing, so the run is (ε, δ)-DP per canary whichever
 * designer holds it. Each designer's scores are standardised over her canaries first (a function
 * of the scores alone, not of the coins). Stateless.
 */
public final class OneRunAudit {
    private OneRunAudit() {}

    /** Fractions of the canaries the attacker may guess on (Bonferroni over them). */
    static final double[] GUESS_FRACTIONS = {0.1, 0.25, 0.5, 1.0};

    /** Confidence of the bound: {@code 1 − BETA}. */
    public static final double BETA = 0.05;

    /**
     * @param epsilon   the lower bound (0 when no guess count rejects epsilon = 0)
     * @param guesses   guesses of the best count
     * @param correct   correct guesses among them
     * @param canaries  canaries pooled over designers
     */
    public record Bound(double epsilon, int guesses, int correct, int canaries) {}

    /**
     * @param scores  per designer, her canaries' attack scores, the {@code members.get(d)} in-canaries first
     * @param members per designer, how many of her canaries are in
     */
    public static Bound of(List<double[]> scores, List<Integer> members) {
        if (scores.isEmpty() || scores.size() != members.size()) {
            throw new IllegalArgumentException(
                    "need one member count per designer, got " + scores.size() + " and " + members.size());
        }
        record Scored(double z, boolean in) {}
        List<Scored> all = new ArrayList<>();
        for (int d = 0; d < scores.size(); d++) {
            double[] s = scores.get(d);
            int m = members.get(d);
            if (m < 0 || m > s.length || s.length < 2) {
                throw new IllegalArgumentException("designer " + d + ": " + m + " in-canaries of " + s.length);
            }
            double mean = 0;
            for (double v : s) {
                mean += v / s.length;
            }
            double var = 0;
            for (double v : s) {
                var += (v - mean) * (v - mean) / (s.length - 1);
            }
            double sd = var > 0 ? Math.sqrt(var) : 1;
            for (int i = 0; i < s.length; i++) {
                if (!Double.isFinite(s[i])) {
                    throw new IllegalArgumentException("designer " + d + ": canary score " + i + " is " + s[i]);
                }
                all.add(new Scored((s[i] - mean) / sd, i < m));
            }
        }
        all.sort(Comparator.comparingDouble(Scored::z));
        int n = all.size();
        double beta = BETA / GUESS_FRACTIONS.length;
        Bound best = new Bound(0, 0, 0, n);
        for (double f : GUESS_FRACTIONS) {
            int half = Math.max(1, (int) Math.floor(f * n / 2));
            int correct = 0;
            for (int i = 0; i < half; i++) {
                correct += all.get(i).in() ? 0 : 1; // lowest scores guessed out
                correct += all.get(n - 1 - i).in() ? 1 : 0; // highest guessed in
            }
            double eps = epsilonLowerBound(2 * half, correct, beta);
            if (eps > best.epsilon() || best.guesses() == 0) {
                best = new Bound(eps, 2 * half, correct, n);
            }
        }
        return best;
    }

    /**
     * The largest epsilon with {@code P[Binomial(r, e^ε/(1+e^ε)) ≥ correct] ≤ beta}, or 0 if even
     * epsilon = 0 (coin-flip guessing) is not rejected.
     */
    static double epsilonLowerBound(int r, int correct, double beta) {
        if (tail(r, correct, 0.5) > beta) {
            return 0;
        }
        double lo = 0;
        double hi = 30; // p stays below 1 in double precision
        if (tail(r, correct, 1 / (1 + Math.exp(-hi))) <= beta) {
            return hi;
        }
        for (int it = 0; it < 100; it++) {
            double mid = (lo + hi) / 2;
            if (tail(r, correct, 1 / (1 + Math.exp(-mid))) <= beta) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** {@code P[Binomial(r, p) ≥ k]}, summed in log space. */
    static double tail(int r, int k, double p) {
        if (k <= 0) {
            return 1;
        }
        if (k > r) {
            return 0;
        }
        double lp = Math.log(p);
        double lq = Math.log1p(-p);
        double sum = 0;
        for (int i = k; i <= r; i++) {
            sum += Math.exp(logChoose(r, i) + i * lp + (r - i) * lq);
        }
        return Math.min(1, sum);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
