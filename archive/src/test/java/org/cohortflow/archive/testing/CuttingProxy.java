package org.cohortflow.archive.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * A loopback TCP relay in front of a server that passes requests through whole but cuts every response after
 * {@code limit} bytes and closes the connection: an archive that dies in the middle of a response, reproducibly.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final long limit;
    private final boolean stall;
    private final Thread acceptor;

    /** A relay that closes each response after {@code limit} bytes. */
    public CuttingProxy(int upstreamPort, long limit) {
        this(upstreamPort, limit, false);
    }

    /**
     * A relay that stops each response after {@code limit} bytes: closing the connection, or with {@code stall}
     * keeping it open and silent (an archive that hangs in the middle of a response).
     */
    public CuttingProxy(int upstreamPort, long limit, boolean stall) {
        this.upstreamPort = upstreamPort;
        this.limit = limit;
        this.stall = stall;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code http://127.0.0.1:PORT} + {@code path} through the proxy. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + path);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                start(() -> pump(client, server, Long.MAX_VALUE, false));
                start(() -> pump(server, client, limit, stall));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void pump(Socket from, Socket to, long limit, boolean stall) {
        byte[] buf = new byte[8192];
        long sent = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; sent < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - sent))) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
                sent += n;
            }
            if (stall) {
                // Hold the connection open and silent until the other side gives up.
                while (to.getInputStream().read(buf) >= 0) {
                    Thread.onSpinWait();
                }
            }
        } catch (IOException e) {
            // the other side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
