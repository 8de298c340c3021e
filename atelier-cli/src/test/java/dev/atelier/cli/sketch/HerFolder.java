package dev.atelier.cli.sketch;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.classifier.ClassifierWorkload;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.sketch.style.Styles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A designer's folder and a public encoder file as the sketch commands' tests need them. */
final class HerFolder {
    private HerFolder() {}

    /** {@code tmp/her-folder}: n fixture garments (28×28) and their bold sketches (32×32) sharing names, as PNGs. */
    static Path pairs(Path tmp, int n) throws Exception {
        Path dir = tmp.resolve("her-folder");
        ImageDataset train = FashionMnist.loadFixture().train();
        for (int i = 0; i < n; i++) {
            float[] g = train.image(i);
            png(dir.resolve(String.format("images/look-%02d.png", i)), g, 28);
            png(dir.resolve(String.format("sketches/look-%02d.png", i)), Styles.BOLD.render(g), 32);
        }
        return dir;
    }

    /** {@code tmp/public-net.safetensors}: a freshly initialised public feature network (seed 11). */
    static Path encoder(Path tmp) throws Exception {
        Path file = tmp.resolve("public-net.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Safetensors.write(BlockParams.toParamSet(ClassifierWorkload.newModel(m, 11), "net"), file);
        }
        return file;
    }

    private static void png(Path file, float[] px, int side) throws Exception {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < px.length; i++) {
            img.getRaster().setSample(i % side, i / side, 0, Math.round(px[i] * 255));
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }
}
