package org.cohortflow.executors.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * A read-only {@link SeekableByteChannel} over a Hadoop input stream that reads by position (the stream's
 * {@code PositionedReadable} side) instead of seeking it: a positioned read fetches only the bytes asked
 * for, whereas a seek followed by a stream read makes HDFS start streaming the rest of the block.
 */
public final class PositionedReadChannel implements SeekableByteChannel {
    private final FSDataInputStream in;
    private final long size;
    private long position;
    private boolean open = true;

    /** A channel over {@code in}, a file of {@code size} bytes; closing the channel closes the stream. */
    public PositionedReadChannel(FSDataInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) return -1;
        int n = (int) Math.min(dst.remaining(), size - position);
        if (n == 0) return 0;
        int read;
        if (dst.hasArray()) {
            read = in.read(position, dst.array(), dst.arrayOffset() + dst.position(), n);
            if (read > 0) dst.position(dst.position() + read);
        } else {
            byte[] buf = new byte[n];
            read = in.read(position, buf, 0, n);
            if (read > 0) dst.put(buf, 0, read);
        }
        if (read < 0) return -1;
        position += read;
        return read;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) throw new IllegalArgumentException("negative position " + newPosition);
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            in.close();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) throw new ClosedChannelException();
    }
}
