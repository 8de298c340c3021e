package dev.atelier.studio;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.classifier.ClassifierWorkload;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.sketch.local.LocalTrainSettings;
import dev.atelier.sketch.style.Styles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** Files the studio tests upload: fixture garments and sketches, a random public encoder, bad files. */
final class Fixtures {
    /** Tiny training: 2 warm-up + 2 GAN steps at batch 4. */
    static final LocalTrainSettings TINY = new LocalTrainSettings(2, 2, 4, 0, 2);

    private Fixtures() {}

    /** n fixture garments (28×28) in {@code dir/images} and their bold sketches (32×32) in {@code dir/sketches}. */
    static List<Path>[] pairs(Path dir, int n) throws Exception {
        ImageDataset train = FashionMnist.loadFixture().train();
        List<Path> g = new ArrayList<>();
        List<Path> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] px = train.image(i);
            g.add(gray(dir.resolve(String.format("images/look-%02d.png", i)), px, 28));
            s.add(gray(dir.resolve(String.format("sketches/look-%02d.png", i)), Styles.BOLD.render(px), 32));
        }
        @SuppressWarnings("unchecked")
        List<Path>[] out = new List[] {g, s};
        return out;
    }

    static Path gray(Path file, float[] px, int side) throws Exception {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < px.length; i++) {
            img.getRaster().setSample(i % side, i / side, 0, Math.round(px[i] * 255));
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** A fixture garment as a {@code w×h} colour JPEG (not the canvas size: "any size"). */
    static Path jpeg(Path file, int index, int w, int h) throws Exception {
        float[] px = FashionMnist.loadFixture().test().image(index);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = Math.round(px[(y * 28 / h) * 28 + x * 28 / w] * 255);
                img.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "jpg", file.toFile());
        return file;
    }

    /** A random public feature network (prefix net), as the CLI tests use. */
    static Path encoder(Path file) throws Exception {
        return encoder(file, 11);
    }

    /** A random public feature network (prefix net) drawn with {@code seed}. */
    static Path encoder(Path file, int seed) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Safetensors.write(BlockParams.toParamSet(ClassifierWorkload.newModel(m, seed), "net"), file);
        }
        return file;
    }

    /** Bytes that claim to be a PNG by name only. */
    static Path corrupt(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, "this is not an image at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return file;
    }

    /** A valid PNG of random colour noise, about {@code side²·3} bytes (incompressible). */
    static Path noisePng(Path file, int side) throws Exception {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(1);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
