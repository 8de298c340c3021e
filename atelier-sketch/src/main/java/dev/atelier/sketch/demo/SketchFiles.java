package dev.atelier.sketch.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes the generated held-out sketches as PNGs: {@code sketches/<designer>/<regime>-<i>.png}. */
final class SketchFiles {
    private SketchFiles() {}

    static void write(Path out, List<DesignerData> designers, Map<String, RegimeOutputs> outputs) throws IOException {
        for (DesignerData d : designers) {
            for (var e : outputs.entrySet()) {
                List<float[]> sketches = e.getValue().sketches.get(d.name());
                for (int i = 0; i < sketches.size(); i++) {
                    Png.write(
                            sketches.get(i),
                            4,
                            out.resolve("sketches")
                                    .resolve(d.name())
                                    .resolve(String.format("%s-%03d.png", e.getKey(), i)));
                }
            }
        }
    }
}
