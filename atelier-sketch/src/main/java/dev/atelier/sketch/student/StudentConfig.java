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
 * @param subPixel     false: the student decodes every encoder scale, like the teacher; true: it
 *                     drops the finest scale (the full canvas) and draws the sketch from the
 *                     half-resolution decoder output with a sub-pixel head ({@link SubPixelDecoder};
 *                     its own encoder then starts with a stride-2 stem, {@link StudentEncoder}), so no
 *                     tensor of the full canvas except the input and the sketch is ever formed
 */
public record StudentConfig(int widthDivisor, int downDivisor, float leakySlope, boolean subPixel) {
    /** A config that decodes every scale (no sub-pixel head). */
    public StudentConfig(int widthDivisor, int downDivisor, float leakySlope) {
        this(widthDivisor, downDivisor, leakySlope, false);
    }

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

    /**
     * Width divisor 2, down divisor 2, slope 0.2: the teacher's decoder widths (still separable), so
     * every tensor has a teacher counterpart and {@link TeacherInit} can start the student from the
     * teacher's weights. With that start it is the student that reaches the teacher's FSD at 32 px
     * (docs/student.md, "Quality at 32 px, session 7").
     */
    public static StudentConfig teacherWidths() {
        return new StudentConfig(2, 2, 0.2f);
    }

    /**
     * {@code atelier sketch distill}'s student for a canvas: {@link #teacherWidths()}, with the
     * sub-pixel head from {@value #SUB_PIXEL_CANVAS} px, where the full-canvas tensors dominate the
     * time (docs/student.md, "Speed").
     */
    public static StudentConfig forCanvas(int canvas) {
        return teacherWidths().withSubPixel(canvas >= SUB_PIXEL_CANVAS);
    }

    /** Smallest canvas at which {@link #forCanvas} turns the sub-pixel head on. */
    public static final int SUB_PIXEL_CANVAS = 128;

    public StudentConfig withWidthDivisor(int v) {
        return new StudentConfig(v, downDivisor, leakySlope, subPixel);
    }

    public StudentConfig withDownDivisor(int v) {
        return new StudentConfig(widthDivisor, v, leakySlope, subPixel);
    }

    public StudentConfig withSubPixel(boolean v) {
        return new StudentConfig(widthDivisor, downDivisor, leakySlope, v);
    }

    /** Encoder scales the student skips at the fine end: 1 with the sub-pixel head, else 0. */
    public int skippedScales() {
        return subPixel ? 1 : 0;
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
        m.put("sub_pixel", Boolean.toString(subPixel));
        return m;
    }

    /** Parses {@link #toMap} output; missing keys take the defaults ({@code sub_pixel}: false, as before it existed). */
    public static StudentConfig fromMap(Map<String, String> m) {
        StudentConfig d = defaults();
        try {
            return new StudentConfig(
                    Integer.parseInt(m.getOrDefault("width_divisor", Integer.toString(d.widthDivisor))),
                    Integer.parseInt(m.getOrDefault("down_divisor", Integer.toString(d.downDivisor))),
                    Float.parseFloat(m.getOrDefault("leaky_slope", Float.toString(d.leakySlope))),
                    parseBoolean(m.getOrDefault("sub_pixel", "false")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed student config " + m + ": " + e.getMessage(), e);
        }
    }

    private static boolean parseBoolean(String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new NumberFormatException("sub_pixel must be true or false, got '" + v + "'");
        };
    }
}
