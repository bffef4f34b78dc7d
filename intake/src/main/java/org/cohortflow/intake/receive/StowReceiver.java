package org.cohortflow.intake.receive;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.cohortflow.archive.dicomweb.MultipartReader;
import org.cohortflow.intake.worker.Pipeline;
import org.cohortflow.server.auth.Caller;
import org.cohortflow.server.auth.Role;
import org.cohortflow.server.http.Api;
import org.cohortflow.server.http.ApiError;

/**
 * STOW-RS receive ({@code POST /dicomweb/studies}, multipart/related of application/dicom parts) for
 * authenticated managers: each part is streamed into the spool's incoming folder and taken into the spool
 * and queue before the response. Parts that are not DICOM are quarantined with the reason by the worker.
 */
public final class StowReceiver {
    private final Pipeline pipeline;
    private final long maxBytes;
    private final Runnable wake;

    public StowReceiver(Pipeline pipeline, long maxBytes, Runnable wake) {
        this.pipeline = pipeline;
        this.maxBytes = maxBytes;
        this.wake = wake;
    }

    /** Adds the route. */
    public void register(Api api) {
        api.post("/dicomweb/studies", Role.MANAGER, "STOW-RS: stores DICOM objects (multipart/related; type=\"application/dicom\")",
                null, this::store);
    }

    private void store(Context ctx) throws IOException {
        Caller who = Api.caller(ctx);
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/related")) {
            throw ApiError.badRequest("Content-Type", "must be multipart/related; type=\"application/dicom\", found " + type);
        }
        String boundary = MultipartReader.boundary(type)
                .orElseThrow(() -> ApiError.badRequest("Content-Type", "has no boundary parameter"));
        int stored = 0;
        try (InputStream body = ctx.bodyInputStream(); MultipartReader parts = new MultipartReader(body, boundary)) {
            Optional<Map<String, String>> headers;
            while ((headers = parts.next()).isPresent()) {
                String partType = headers.get().getOrDefault("content-type", "");
                if (!partType.toLowerCase(java.util.Locale.ROOT).startsWith("application/dicom")) {
                    throw ApiError.unprocessable("part " + (parts.parts()) + " Content-Type",
                            "must be application/dicom, found '" + partType + "' (" + stored + " earlier parts were stored)");
                }
                Path tmp = Files.createTempFile(pipeline.spool().incoming(), "stow-", ".part");
                try {
                    try (OutputStream out = new LimitedOutput(Files.newOutputStream(tmp), maxBytes)) {
                        parts.copyBody(out);
                    }
                    pipeline.receive(tmp, "stow", who.name());
                    stored++;
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (MultipartReader.TruncatedException e) {
            throw ApiError.badRequest("body", "the multipart body is truncated: " + e.getMessage() + " (" + stored
                    + " complete parts were stored)");
        } catch (LimitedOutput.TooLargeException e) {
            throw new ApiError(413, "an object is larger than the limit of " + maxBytes + " bytes (" + stored
                    + " earlier parts were stored)", "body");
        }
        wake.run();
        ctx.json(Map.of("stored", stored));
    }

    /** An output stream that refuses to grow past a limit (huge uploads are cut, never spooled whole). */
    private static final class LimitedOutput extends java.io.FilterOutputStream {
        static final class TooLargeException extends IOException {
            private static final long serialVersionUID = 1L;
        }

        private final long max;
        private long written;

        LimitedOutput(OutputStream out, long max) {
            super(out);
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            count(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count(len);
            out.write(b, off, len);
        }

        private void count(long n) throws TooLargeException {
            written += n;
            if (written > max) {
                throw new TooLargeException();
            }
        }
    }
}
