package dev.atelier.sketch.demo;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/** Writes the generated held-out sketches as PNGs (×4) where {@link DemoLayout#sketch} puts them. */
final class SketchFiles {
    private SketchFiles() {}

    static void write(DemoLayout layout, List<DesignerData> designers, Collection<RegimeOutputs> outputs)
            throws IOException {
        for (DesignerData d : designers) {
            for (RegimeOutputs o : outputs) {
                List<float[]> sketches = o.of(d.name());
                for (int i = 0; i < sketches.size(); i++) {
                    Png.write(sketches.get(i), 4, layout.sketch(d.name(), o.regime(), i));
                }
            }
        }
    }
}
