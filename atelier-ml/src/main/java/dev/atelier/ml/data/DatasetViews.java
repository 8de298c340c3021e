package dev.atelier.ml.data;

import java.util.AbstractList;
import java.util.List;

/** Zero-copy list views over an {@link ImageDataset}, for trainers that take {@code List<float[]>}. */
public final class DatasetViews {
    private DatasetViews() {}

    /** Images as {@code float[]} in [0,1], converted on access. */
    public static List<float[]> images(ImageDataset data) {
        return new AbstractList<>() {
            @Override
            public float[] get(int index) {
                return data.image(index);
            }

            @Override
            public int size() {
                return data.size();
            }
        };
    }
}
