package org.cohortflow.executors.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Syncable;

/**
 * The run's event log: each event becomes one JSON line in {@code events.jsonl} (flushed, so that a
 * monitor tailing the file, or a person after a crash, sees it at once) and goes to the listeners, such
 * as the console progress bar.
 */
public final class RunEvents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final OutputStream out;
    private final List<Consumer<RunEvent>> listeners;

    public RunEvents(OutputStream out, List<Consumer<RunEvent>> listeners) {
        this.out = out;
        this.listeners = List.copyOf(listeners);
    }

    public synchronized void emit(RunEvent e) {
        try {
            out.write(JSON.writeValueAsBytes(e));
            out.write('\n');
            if (out instanceof Syncable s) {
                s.hflush();
            } else {
                out.flush();
            }
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write run event", x);
        }
        listeners.forEach(l -> l.accept(e));
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the run event log", e);
        }
    }
}
