package org.cohortflow.archive.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an {@link InputStream} that gives up when the archive sends nothing for a while: the JDK's
 * own {@code ofInputStream()} waits forever on a stalled body, as its request timeout covers the headers only.
 * Buffers are requested one list at a time, so a slow reader holds back the sender instead of filling memory.
 */
final class TimedBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final long stallNanos;
    private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> pending;
    private ByteBuffer current;
    private boolean done;

    /** A body that fails with an {@link HttpTimeoutException} after {@code stallMillis} without data. */
    TimedBody(long stallMillis) {
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (current == null || !current.hasRemaining()) {
            if (pending != null && pending.hasNext()) {
                current = pending.next();
                continue;
            }
            if (done) return -1;
            Object o;
            try {
                o = queue.poll(stallNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the response", e);
            }
            if (o == null) {
                close();
                throw new HttpTimeoutException("the archive sent no data for " + TimeUnit.NANOSECONDS.toMillis(stallNanos)
                        + " ms in the middle of the response");
            }
            if (o == END) {
                done = true;
                return -1;
            }
            if (o instanceof Throwable t) {
                done = true;
                throw t instanceof IOException io ? io : new IOException(t.toString(), t);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> list = (List<ByteBuffer>) o;
            pending = list.iterator();
            subscription.request(1);
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
        }
    }
}
