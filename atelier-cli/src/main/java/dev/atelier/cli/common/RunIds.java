package dev.atelier.cli.common;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Run directory names: {@code <kind>-<yyyyMMdd-HHmmss>}. */
public final class RunIds {
    private RunIds() {}

    public static String next(String kind) {
        return kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
