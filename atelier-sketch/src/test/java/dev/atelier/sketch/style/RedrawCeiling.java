package dev.atelier.sketch.style;

import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.sketch.eval.L1Distance;
import dev.atelier.sketch.eval.Ssim;
import dev.atelier.sketch.local.LocalEvaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a perfect model of each built-in style could score against her sketches: the style's own
 * renderer with its random marks drawn again (another seed), next to the inverted-Sobel edge map
 * and the expectation of the marks (the mean of 16 redraws). A style whose marks are placed by
 * chance caps L1 and SSIM below 1 even for its own renderer; this prints by how much.
 *
 * <pre>java ... dev.atelier.sketch.style.RedrawCeiling [garments=400]</pre>
 */
public final class RedrawCeiling {
    private static final int REDRAWS = 16;

    private RedrawCeiling() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("garments=", "")) : 400;
        ImageDataset test = FashionMnist.load((Path) null).splits().test();
        List<float[]> garments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            garments.add(test.image(i));
        }
        System.out.printf(
                Locale.ROOT,
                "%-10s %-22s %-22s %-22s%n",
                "style",
                "redraw L1 / SSIM",
                "expectation L1 / SSIM",
                "edge map L1 / SSIM");
        for (Styles s : Styles.values()) {
            GarmentStyle style = (GarmentStyle) s.style();
            List<float[]> refs = new ArrayList<>();
            List<float[]> redraw = new ArrayList<>();
            List<float[]> expectation = new ArrayList<>();
            List<float[]> edges = new ArrayList<>();
            for (float[] g28 : garments) {
                Garment g = Garment.of(g28);
                refs.add(style.draw(g));
                float[] mean = new float[SketchFormat.SKETCH_PIXELS];
                for (int k = 1; k <= REDRAWS; k++) {
                    float[] r = style.draw(new Garment(
                            g.intensity(), g.silhouette(), g.contour(), g.seed() ^ (k * 0x9E3779B97F4A7C15L)));
                    if (k == 1) {
                        redraw.add(r);
                    }
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += r[i] / REDRAWS;
                    }
                }
                expectation.add(mean);
                edges.add(LocalEvaluation.edgeMap(SketchFormat.padGarment(g28)));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %.4f / %.4f        %.4f / %.4f        %.4f / %.4f%n",
                    s.styleName(),
                    L1Distance.mean(redraw, refs),
                    Ssim.mean(redraw, refs),
                    L1Distance.mean(expectation, refs),
                    Ssim.mean(expectation, refs),
                    L1Distance.mean(edges, refs),
                    Ssim.mean(edges, refs));
        }
    }
}
