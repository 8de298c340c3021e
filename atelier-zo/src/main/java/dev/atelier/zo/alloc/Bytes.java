package dev.atelier.zo.alloc;

/** Byte counts for messages: binary units with one decimal (1.5 GiB). Stateless. */
final class Bytes {
    private Bytes() {}

    static String show(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
