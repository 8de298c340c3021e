package dev.atelier.studio.web;

import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistData;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.sketch.demo.Png;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.style.Styles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A designer folder made from Fashion-MNIST garments and one of the built-in sketch styles (the
 * demo's designers), for a first model before she uploads her own pairs: {@code look-NNN.png} in
 * {@code images/} (28×28) and {@code sketches/} (the style's 32×32 rendering). Stateless.
 */
public final class BuiltInDesigner {
    private BuiltInDesigner() {}

    /**
     * Writes {@code count} pairs of {@code style} into {@code dir}.
     *
     * @param fashionMnist Fashion-MNIST folder, {@code fixture}, or null for the usual places
     */
    public static void write(Path dir, Styles style, int count, String fashionMnist) throws IOException {
        FashionMnistData data = "fixture".equals(fashionMnist)
                ? FashionMnist.loadFixture()
                : FashionMnist.load(fashionMnist == null ? null : Path.of(fashionMnist));
        ImageDataset train = data.train();
        int n = Math.min(count, train.size());
        for (int i = 0; i < n; i++) {
            float[] g = train.image(i);
            String name = String.format(Locale.ROOT, "look-%03d.png", i);
            Png.write(g, 1, dir.resolve(DesignerFolder.IMAGES).resolve(name));
            Png.write(style.render(g), 1, dir.resolve(DesignerFolder.SKETCHES).resolve(name));
        }
    }
}
