package org.cohortflow.archive.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** A loopback TCP server that accepts connections and never answers: an archive that hangs. */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> held = new ArrayList<>();

    public SilentServer() {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    synchronized (held) {
                        held.add(s);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-server");
        t.setDaemon(true);
        t.start();
    }

    /** {@code http://127.0.0.1:PORT} + {@code path}. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + path);
    }

    @Override
    public void close() {
        try {
            listener.close();
            synchronized (held) {
                for (Socket s : held) s.close();
            }
        } catch (IOException e) {
            // nothing to do
        }
    }
}
