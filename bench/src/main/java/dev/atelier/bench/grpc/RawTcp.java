package dev.atelier.bench.grpc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * The baseline: the same file bytes through a plain loopback TCP socket, sender writing from a
 * memory-mapped file, receiver reading into a 1 MiB direct buffer and discarding. No framing,
 * no checksums, no TLS, no disk writes: an upper bound for any protocol on this machine.
 */
final class RawTcp {
    private RawTcp() {}

    /** Seconds to move the whole file through loopback TCP. */
    static double transfer(Path file) throws Exception {
        try (ServerSocketChannel server =
                ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel in = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                    long n = 0;
                    int r;
                    while ((r = in.read(buf)) >= 0) {
                        n += r;
                        buf.clear();
                    }
                    return n;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            long size;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                    SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
                size = ch.size();
                long step = 256L << 20;
                for (long pos = 0; pos < size; pos += step) {
                    MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(step, size - pos));
                    while (m.hasRemaining()) {
                        out.write(m);
                    }
                }
            }
            long got = received.get();
            double s = (System.nanoTime() - t0) / 1e9;
            if (got != size) {
                throw new IllegalStateException("raw TCP received " + got + " of " + size + " bytes");
            }
            return s;
        }
    }
}
