package dev.atelier.sketch.style;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Registry of the eight designer sketch styles, in a fixed order (the ordinal is a stable style
 * index, e.g. for one-hot conditioning or plots).
 */
public enum Styles {
    CONTOUR(new ContourStyle()),
    BOLD(new BoldStyle()),
    DETAIL(new DetailStyle()),
    HATCH(new HatchStyle()),
    STIPPLE(new StippleStyle()),
    CHALK(new ChalkStyle()),
    BLUEPRINT(new BlueprintStyle()),
    WOBBLY(new WobblyStyle());

    private final SketchStyle style;

    Styles(SketchStyle style) {
        this.style = style;
    }

    /** The renderer (stateless, thread-safe). */
    public SketchStyle style() {
        return style;
    }

    /** The configuration name, e.g. {@code "contour"}; equals {@code style().name()}. */
    public String styleName() {
        return style.name();
    }

    /** Renders one 28×28 garment into a 32×32 sketch in this style. */
    public float[] render(float[] garment28) {
        return style.render(garment28);
    }

    /**
     * Looks a style up by its configuration name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the unknown style and listing the known ones
     */
    public static Styles byName(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            for (Styles s : values()) {
                if (s.styleName().equals(key)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown sketch style '" + name + "', known: " + String.join(", ", names()));
    }

    /** All style names in registry order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Styles::styleName).toList();
    }

    /** All renderers in registry order. */
    public static List<SketchStyle> all() {
        return Arrays.stream(values()).map(Styles::style).toList();
    }
}
