package dev.atelier.zo.train;

/**
 * Hyper-parameters of MeZO-style SPSA: perturbation scale {@code epsilon} (MeZO: 1e-3) and
 * learning rate {@code lr} (MeZO, OPT full fine-tuning: 1e-6 … 1e-7; tiny models need larger).
 * Both finite and positive.
 */
public record ZoSettings(double epsilon, double lr) {
    public ZoSettings {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and > 0, got " + lr);
        }
    }
}
