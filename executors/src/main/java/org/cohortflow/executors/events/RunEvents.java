package org.cohortflow.executors.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Syncable;

/**
 * The run's event log: each event becomes one JSON line in {@code events.jsonl} (flushed, so that a
 * monitor tailing the file, or a person after a crash, sees it at once) and goes to the listeners, such
 * as the console progress bar.
 *
 * <p>A log that cannot be written (a full disk) does not stop the run: the first failure is kept, nothing
 * more is written to the file, listeners still see every event, and the run reports the failure. Each line
 * goes out in one write, and a cut-off last line is removed when the run is resumed
 * ({@code Storage.dropPartialLastLine}).
 */
public final class RunEvents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final OutputStream out;
    private final String where;
    private final List<Consumer<RunEvent>> listeners;
    private IOException failure;

    /** @param where the log's location, named in errors */
    public RunEvents(OutputStream out, String where, List<Consumer<RunEvent>> listeners) {
        this.out = out;
        this.where = where;
        this.listeners = List.copyOf(listeners);
    }

    public synchronized void emit(RunEvent e) {
        if (failure == null) {
            try {
                byte[] json = JSON.writeValueAsBytes(e);
                byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
                line[json.length] = '\n';
                out.write(line);
                if (out instanceof Syncable s) {
                    s.hflush();
                } else {
                    out.flush();
                }
            } catch (IOException x) {
                failure = x;
            }
        }
        listeners.forEach(l -> l.accept(e));
    }

    /** Why the log stopped being written, with its location and the cause; empty while it is complete. */
    public synchronized Optional<String> failure() {
        return Optional.ofNullable(failure).map(x -> "cannot write run events to " + where + ": " + cause(x)
                + "; the log stops at the event before");
    }

    /** An I/O error as people read it: the operating system's words ("No space left on device") first. */
    public static String cause(IOException x) {
        String m = x.getMessage();
        return x instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : m != null ? m : x.getClass().getSimpleName();
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }
}
