package dev.atelier.sketch.style;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regenerates {@code src/main/resources/dev/atelier/sketch/style/designers.json} from
 * {@link DesignerProfiles#generate} with the default alpha and seed (the file is checked in;
 * {@code DesignerProfilesTest} verifies it still matches the generator).
 *
 * <p>Usage: {@code DesignersFileGenerator [out.json]}.
 */
public final class DesignersFileGenerator {

    static final Path DEFAULT_OUT =
            Path.of("atelier-sketch/src/main/resources/dev/atelier/sketch/style/designers.json");

    private DesignersFileGenerator() {}

    public static void main(String[] args) throws IOException {
        Path out = args.length > 0 ? Path.of(args[0]) : DEFAULT_OUT;
        Files.writeString(out, defaultJson());
        System.out.println("wrote " + out.toAbsolutePath());
    }

    static String defaultJson() {
        Map<String, Object> generator = new LinkedHashMap<>();
        generator.put("method", "DesignerProfiles.generate(count, alpha, seed)");
        generator.put("count", 8);
        generator.put("alpha", DesignerProfiles.DEFAULT_ALPHA);
        generator.put("seed", DesignerProfiles.DEFAULT_SEED);
        generator.put("trainPairsRange", new int[] {DesignerProfiles.MIN_PAIRS, DesignerProfiles.MAX_PAIRS});
        return DesignerProfiles.toJson(
                DesignerProfiles.generate(8, DesignerProfiles.DEFAULT_ALPHA, DesignerProfiles.DEFAULT_SEED),
                "Eight default designers, one per sketch style. garmentMix[c] is the share of Fashion-MNIST label c "
                        + "(0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, "
                        + "8 Bag, 9 Ankle boot) among the designer's trainPairs (garment, sketch) pairs.",
                generator);
    }
}
