package dev.atelier.sketch.student;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Architecture of the edge student's decoder. Channel counts derive from the encoder's channels
 * {@code C_s} per scale, as the teacher's do, but with larger divisors (the teacher's defaults are
 * 2 and 2, see {@code SketchGanConfig}). Immutable.
 *
 * @param widthDivisor the student decoder's width at scale s (its fuse conv's output, and the opening
 *                     1×1 conv at the coarsest scale) is {@code max(1, C_s / widthDivisor)}
 * @param downDivisor  a student MRFM block's pooled-skip conv has {@code max(1, C_s / downDivisor)} channels
 * @param leakySlope   LeakyReLU negative slope, in {@code [0, 1)}
 */
public record StudentConfig(int widthDivisor, int downDivisor, float leakySlope) {
    public StudentConfig {
        if (widthDivisor < 1 || downDivisor < 1 || !(leakySlope >= 0 && leakySlope < 1)) {
            throw new IllegalArgumentException("invalid student config: widthDivisor=" + widthDivisor + " downDivisor="
                    + downDivisor + " slope=" + leakySlope);
        }
    }

    /** Width divisor 4, down divisor 4, slope 0.2: half the teacher's decoder widths. */
    public static StudentConfig defaults() {
        return new StudentConfig(4, 4, 0.2f);
    }

    public StudentConfig withWidthDivisor(int v) {
        return new StudentConfig(v, downDivisor, leakySlope);
    }

    public StudentConfig withDownDivisor(int v) {
        return new StudentConfig(widthDivisor, v, leakySlope);
    }

    /** Decoder width at a scale with {@code encoderChannels} channels. */
    public int width(int encoderChannels) {
        return Math.max(1, encoderChannels / widthDivisor);
    }

    /** Pooled-skip channels at a scale with {@code encoderChannels} channels. */
    public int down(int encoderChannels) {
        return Math.max(1, encoderChannels / downDivisor);
    }

    /** String form for checkpoint metadata; inverse of {@link #fromMap}. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("width_divisor", Integer.toString(widthDivisor));
        m.put("down_divisor", Integer.toString(downDivisor));
        m.put("leaky_slope", Float.toString(leakySlope));
        return m;
    }

    /** Parses {@link #toMap} output; missing keys take the defaults. */
    public static StudentConfig fromMap(Map<String, String> m) {
        StudentConfig d = defaults();
        try {
            return new StudentConfig(
                    Integer.parseInt(m.getOrDefault("width_divisor", Integer.toString(d.widthDivisor))),
                    Integer.parseInt(m.getOrDefault("down_divisor", Integer.toString(d.downDivisor))),
                    Float.parseFloat(m.getOrDefault("leaky_slope", Float.toString(d.leakySlope))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed student config " + m + ": " + e.getMessage(), e);
        }
    }
}
