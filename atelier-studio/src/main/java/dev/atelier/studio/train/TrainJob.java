package dev.atelier.studio.train;

import dev.atelier.sketch.local.LocalTrainSettings;
import java.nio.file.Path;

/**
 * One model version to train in a child process.
 *
 * @param version the model version number
 * @param folder the designer folder (under the studio home)
 * @param out the model directory (under the studio home)
 * @param invert invert the garments (dark garments on white)
 * @param settings the schedule
 */
public record TrainJob(int version, Path folder, Path out, boolean invert, LocalTrainSettings settings) {}
