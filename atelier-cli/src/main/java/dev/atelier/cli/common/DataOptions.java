package dev.atelier.cli.common;

import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistData;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data DIR}: where Fashion-MNIST is (otherwise $ATELIER_DATA, ~/.atelier, the Debian package). */
public final class DataOptions {
    @Option(
            names = "--data",
            paramLabel = "DIR",
            description =
                    "Folder with the four Fashion-MNIST .gz files (default: $ATELIER_DATA, ~/.atelier/datasets/fashion-mnist, "
                            + "/usr/share/datasets/fashion-mnist, then download)")
    public Path data;

    public FashionMnistData load() {
        FashionMnistData d = FashionMnist.load(data);
        System.err.println(d.source());
        return d;
    }
}
