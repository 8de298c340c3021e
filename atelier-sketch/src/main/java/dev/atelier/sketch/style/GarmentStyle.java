package dev.atelier.sketch.style;

/**
 * Base of the eight built-in styles: it holds the style's name and description and turns the raw
 * 28×28 input into the shared {@link Garment} analysis once, so a style only says how it draws.
 * Subclasses are stateless and thread-safe, like every {@link SketchStyle}.
 */
abstract class GarmentStyle implements SketchStyle {

    private final String name;
    private final String description;

    GarmentStyle(String name, String description) {
        this.name = name;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final float[] render(float[] garment28) {
        return draw(Garment.of(garment28));
    }

    /** Draws one analysed garment: a new array of 1024 values in [0,1] (32×32, see {@link SketchStyle}). */
    abstract float[] draw(Garment g);
}
