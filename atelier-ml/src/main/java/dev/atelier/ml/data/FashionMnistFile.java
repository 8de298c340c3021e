package dev.atelier.ml.data;

/**
 * The four files of the Fashion-MNIST release, with their expected sizes and checksums.
 *
 * <p>{@link #contentSha256()} is the SHA-256 of the <em>decompressed</em> IDX bytes. That is what
 * Atelier verifies, because the {@code .gz} bytes differ between distributors while the content is the
 * same: Zalando's own files carry the original file name in the gzip header, Debian's package
 * ({@code dataset-fashion-mnist}) recompressed them without it, so their compressed checksums differ.
 * {@link #debianGzSha256()} is the SHA-256 of the {@code .gz} file exactly as shipped in
 * {@code /usr/share/datasets/fashion-mnist} (Debian version 0.0~git20200523.55506a9-1), for reference.
 */
public enum FashionMnistFile {
    TRAIN_IMAGES(
            "train-images-idx3-ubyte.gz",
            true,
            60_000,
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
    TRAIN_LABELS(
            "train-labels-idx1-ubyte.gz",
            false,
            60_000,
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
    TEST_IMAGES(
            "t10k-images-idx3-ubyte.gz",
            true,
            10_000,
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
    TEST_LABELS(
            "t10k-labels-idx1-ubyte.gz",
            false,
            10_000,
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");

    private final String fileName;
    private final boolean images;
    private final int count;
    private final String contentSha256;
    private final String debianGzSha256;

    FashionMnistFile(String fileName, boolean images, int count, String contentSha256, String debianGzSha256) {
        this.fileName = fileName;
        this.images = images;
        this.count = count;
        this.contentSha256 = contentSha256;
        this.debianGzSha256 = debianGzSha256;
    }

    /** File name, e.g. {@code train-images-idx3-ubyte.gz}. */
    public String fileName() {
        return fileName;
    }

    /** True for an image file (idx3), false for a label file (idx1). */
    public boolean isImages() {
        return images;
    }

    /** Number of images or labels in the official file. */
    public int count() {
        return count;
    }

    /** SHA-256 (hex) of the official decompressed content. */
    public String contentSha256() {
        return contentSha256;
    }

    /** SHA-256 (hex) of the {@code .gz} file as shipped by Debian's dataset-fashion-mnist package. */
    public String debianGzSha256() {
        return debianGzSha256;
    }
}
