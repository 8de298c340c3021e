package dev.atelier.sketch.privacy;

import dev.atelier.sketch.style.SketchFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Canary sketches for the audit's positive control (Jagielski et al. 2020; Steinke, Nasr &
 * Jagielski 2023): distinctive synthetic textures, none of them a garment in any style, each put in
 * its designer's training set by a seeded fair coin. Members (in) and non-members (out) are drawn
 * alike, so under "training did not mark them" the attack's scores are exchangeable, and a critic
 * that learns anything specific about a training sketch learns it most about an out-of-distribution
 * one: a control that leaks by construction through the federation, and the input of the one-run
 * epsilon lower bound ({@link OneRunAudit}).
 *
 * <p>A canary is a line texture on paper (angle, spacing, thickness, ink strength drawn per canary,
 * a crossing second family half the time, sparse ink dots): the critic sees Gram statistics of the
 * encoder's features, so canaries differ from each other in texture, not in position.
 *
 * <p>Where the in-canaries go: by default they are training pairs (each with one of her member
 * garments), so the generator also draws towards them and the critic sees each next to the fake of
 * a member's garment. {@link #forCriticOnly()} canaries are extra real sketches of her critic only
 * ({@code SketchTrainer.Builder#optCriticOnlyRecords}): no generator target, no quality cost, and
 * nothing in the fakes that resembles them.
 *
 * @param in         canaries she trains on
 * @param out        canaries drawn alike that she does not train on
 * @param criticOnly true when only her critic trains on the in-canaries
 */
public record Canaries(List<float[]> in, List<float[]> out, boolean criticOnly) {
    /** How a designer's canaries are made. */
    public enum Kind {
        /** {@link #draw}: synthetic textures, out of distribution. */
        TEXTURE,
        /** {@link #overlaid}: sketches of her style with a texture drawn over each. */
        OVERLAY,
        /** {@link #draw} textures {@link #forCriticOnly() only her critic} trains on. */
        CRITIC_TEXTURE
    }

    /** No canaries (the audit's real-sketch rows only). */
    public static final Canaries NONE = new Canaries(List.of(), List.of());

    /** Canaries that are training pairs ({@code criticOnly} false). */
    public Canaries(List<float[]> in, List<float[]> out) {
        this(in, out, false);
    }

    /** The same canaries, put in her critic's real sketches only instead of her training pairs. */
    public Canaries forCriticOnly() {
        return new Canaries(in, out, true);
    }

    public Canaries {
        in = List.copyOf(in);
        out = List.copyOf(out);
        if (!in.isEmpty() || !out.isEmpty()) {
            if (in.size() < 2 || out.size() < 2) {
                throw new IllegalArgumentException(
                        "canaries need >= 2 in and >= 2 out, got " + in.size() + " and " + out.size());
            }
        }
    }

    /** Total canaries. */
    public int count() {
        return in.size() + out.size();
    }

    /**
     * {@code count} canaries, each in with probability 1/2 (independent coins, as the one-run audit
     * assumes).
     *
     * @throws IllegalArgumentException if {@code count < 4}, or the coins left fewer than 2 in or
     *                                  2 out (then draw with another seed or more canaries)
     */
    public static Canaries draw(int count, long seed) {
        if (count < 4) {
            throw new IllegalArgumentException("need >= 4 canaries per designer, got " + count);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(texture(rng.split()));
        }
        return coins(all, rng, seed);
    }

    /**
     * Canaries close to her data instead of out of distribution: each of {@code bases} (sketches of
     * her style she does not otherwise have) with a random texture drawn over it at half strength.
     * A hinge-loss critic stops learning a real sketch once it scores it clearly real; a texture
     * unlike every fake is such a sketch at once, one of her own style is not.
     */
    public static Canaries overlaid(List<float[]> bases, long seed) {
        if (bases.size() < 4) {
            throw new IllegalArgumentException("need >= 4 canaries per designer, got " + bases.size());
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> all = new ArrayList<>();
        for (float[] base : bases) {
            float[] t = texture(rng.split());
            if (t.length != base.length) {
                throw new IllegalArgumentException(
                        "canary base has " + base.length + " pixels, expected " + t.length + " (32x32)");
            }
            float[] c = new float[t.length];
            for (int k = 0; k < c.length; k++) {
                c[k] = Math.min(base[k], (SketchFormat.PAPER + t[k]) / 2);
            }
            all.add(c);
        }
        return coins(all, rng, seed);
    }

    /** One independent fair coin per canary. */
    private static Canaries coins(List<float[]> all, SplittableRandom rng, long seed) {
        List<float[]> in = new ArrayList<>();
        List<float[]> out = new ArrayList<>();
        for (float[] c : all) {
            (rng.nextBoolean() ? in : out).add(c);
        }
        if (in.size() < 2 || out.size() < 2) {
            throw new IllegalArgumentException("the canary coins (seed " + seed + ") put " + in.size() + " of "
                    + all.size() + " canaries in: need >= 2 in and >= 2 out; use another seed or more canaries");
        }
        return new Canaries(in, out);
    }

    /** One canary: a random line texture with ink dots on a 32×32 paper canvas. */
    static float[] texture(SplittableRandom rng) {
        int side = SketchFormat.SKETCH_SIDE;
        float[] img = new float[side * side];
        java.util.Arrays.fill(img, SketchFormat.PAPER);
        double ink = 0.6 * rng.nextDouble(); // darkness of the lines, 0 = black
        int families = rng.nextBoolean() ? 2 : 1;
        double angle = Math.PI * rng.nextDouble();
        for (int f = 0; f < families; f++) {
            double a = f == 0 ? angle : angle + Math.PI / 4 + Math.PI / 2 * rng.nextDouble();
            double spacing = 2 + 6 * rng.nextDouble();
            double thickness = 0.6 + 1.6 * rng.nextDouble();
            double phase = spacing * rng.nextDouble();
            double c = Math.cos(a);
            double s = Math.sin(a);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    double u = x * c + y * s + phase;
                    double t = u - spacing * Math.floor(u / spacing); // distance past the last line
                    if (t < thickness) {
                        img[y * side + x] = (float) Math.min(img[y * side + x], ink);
                    }
                }
            }
        }
        double dots = 0.12 * rng.nextDouble();
        for (int k = 0; k < img.length; k++) {
            if (rng.nextDouble() < dots) {
                img[k] = SketchFormat.INK;
            }
        }
        return img;
    }
}
