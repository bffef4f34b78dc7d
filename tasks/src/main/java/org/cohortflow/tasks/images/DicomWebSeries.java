package org.cohortflow.tasks.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads a DICOM series from a DICOMweb archive and gives it to the viewer as one NIfTI-1 volume. It needs no
 * DICOM parser: the series' metadata comes as DICOM JSON ({@code GET SERIES/metadata}) and each slice's pixels
 * as raw little-endian frame bytes (WADO-RS {@code .../instances/UID/frames/1}, uncompressed, which the archive
 * transcodes to when needed). Slices are ordered along the normal of their orientation; the NIfTI sform carries
 * the DICOM patient geometry (LPS) converted to NIfTI's RAS, so overlays given as NIfTI line up in the viewer.
 * Single-frame, single-channel series of 8 or 16 bit stored values only; anything else is refused with the
 * reason.
 */
public final class DicomWebSeries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FRAME_ACCEPT = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.1";
    private final HttpClient client;
    private final List<DicomWebLogin> logins;

    /** @param logins credentials per archive root (may be empty) */
    public DicomWebSeries(HttpClient client, List<DicomWebLogin> logins) {
        this.client = client;
        this.logins = List.copyOf(logins);
    }

    /** One slice's geometry and pixel encoding, from its DICOM JSON. */
    private record Slice(String sop, double[] position, double[] orientation, double rowSpacing, double colSpacing, int rows,
                         int cols, int bits, boolean signed, double slope, double intercept) {
        double[] normal() {
            double[] r = {orientation[0], orientation[1], orientation[2]};
            double[] c = {orientation[3], orientation[4], orientation[5]};
            return new double[] {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
        }

        double along(double[] n) {
            return position[0] * n[0] + position[1] * n[1] + position[2] * n[2];
        }
    }

    /** Reads the series at {@code series} ({@code ROOT/studies/UID/series/UID}) as NIfTI-1 bytes. */
    public byte[] readAsNifti(URI series) throws IOException {
        JsonNode metadata = JSON.readTree(get(URI.create(series + "/metadata"), "application/dicom+json"));
        if (!metadata.isArray() || metadata.isEmpty()) {
            throw new IOException(series + " has no instances");
        }
        List<Slice> slices = new ArrayList<>();
        for (JsonNode instance : metadata) {
            slices.add(slice(instance));
        }
        Slice first = slices.get(0);
        double[] n = first.normal();
        slices.sort(Comparator.comparingDouble(s -> s.along(n)));
        for (Slice s : slices) {
            if (s.rows() != first.rows() || s.cols() != first.cols() || s.bits() != first.bits() || s.signed() != first.signed()) {
                throw new IOException("instance " + s.sop() + " of " + series + " differs in size or pixel encoding from the others");
            }
        }
        boolean sameRescale = slices.stream().allMatch(s -> s.slope() == first.slope() && s.intercept() == first.intercept());
        int voxels = first.rows() * first.cols();
        int bytesIn = first.bits() / 8;
        // Stored values as they are (with one rescale for all) when possible; float32 with each slice's rescale otherwise.
        boolean asFloat = !sameRescale;
        int bytesOut = asFloat ? 4 : bytesIn;
        ByteBuffer data = ByteBuffer.allocate(voxels * slices.size() * bytesOut).order(ByteOrder.LITTLE_ENDIAN);
        for (Slice s : slices) {
            byte[] frame = frame(series, s.sop());
            if (frame.length < voxels * bytesIn) {
                throw new IOException("instance " + s.sop() + " of " + series + ": frame has " + frame.length + " bytes, expected "
                        + voxels * bytesIn);
            }
            ByteBuffer in = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < voxels; i++) {
                if (!asFloat) {
                    if (bytesIn == 2) data.putShort(in.getShort()); else data.put(in.get());
                } else {
                    double stored = bytesIn == 2 ? (s.signed() ? in.getShort() : in.getShort() & 0xffff)
                            : (s.signed() ? in.get() : in.get() & 0xff);
                    data.putFloat((float) (stored * s.slope() + s.intercept()));
                }
            }
        }
        double step = slices.size() < 2 ? 1.0
                : (slices.get(slices.size() - 1).along(n) - slices.get(0).along(n)) / (slices.size() - 1);
        int datatype = asFloat ? 16 : bytesIn == 2 ? (first.signed() ? 4 : 512) : (first.signed() ? 256 : 2);
        return Nifti1.write(first.cols(), first.rows(), slices.size(), datatype, bytesOut * 8,
                new double[] {first.colSpacing(), first.rowSpacing(), Math.abs(step)},
                sform(slices.get(0), n, step), asFloat ? 1 : first.slope(), asFloat ? 0 : first.intercept(), data.array());
    }

    /** Voxel (column, row, slice) to RAS millimetres: DICOM's LPS geometry with x and y negated. */
    private static double[][] sform(Slice s, double[] n, double step) {
        double[] r = {s.orientation()[0], s.orientation()[1], s.orientation()[2]};
        double[] c = {s.orientation()[3], s.orientation()[4], s.orientation()[5]};
        double[][] m = new double[3][4];
        for (int axis = 0; axis < 3; axis++) {
            double sign = axis < 2 ? -1 : 1;
            m[axis][0] = sign * r[axis] * s.colSpacing();
            m[axis][1] = sign * c[axis] * s.rowSpacing();
            m[axis][2] = sign * n[axis] * step;
            m[axis][3] = sign * s.position()[axis];
        }
        return m;
    }

    private static Slice slice(JsonNode instance) throws IOException {
        String sop = text(instance, "00080018").orElseThrow(() -> new IOException("an instance without SOP Instance UID"));
        int frames = (int) number(instance, "00280008", 0, 1);
        int samples = (int) number(instance, "00280002", 0, 1);
        if (frames != 1 || samples != 1) {
            throw new IOException("instance " + sop + ": only single-frame grey-scale images are shown (frames " + frames
                    + ", samples per pixel " + samples + ")");
        }
        int bits = (int) number(instance, "00280100", 0, 16);
        if (bits != 8 && bits != 16) {
            throw new IOException("instance " + sop + ": " + bits + " bits allocated; 8 or 16 are shown");
        }
        double[] position = numbers(instance, "00200032", 3, sop);
        double[] orientation = numbers(instance, "00200037", 6, sop);
        double[] spacing = numbers(instance, "00280030", 2, sop);
        return new Slice(sop, position, orientation, spacing[0], spacing[1], (int) required(instance, "00280010", sop),
                (int) required(instance, "00280011", sop), bits, number(instance, "00280103", 0, 0) == 1,
                number(instance, "00281053", 0, 1), number(instance, "00281052", 0, 0));
    }

    private static Optional<String> text(JsonNode instance, String tag) {
        JsonNode v = instance.path(tag).path("Value");
        return v.isArray() && !v.isEmpty() ? Optional.of(v.get(0).asText()) : Optional.empty();
    }

    private static double number(JsonNode instance, String tag, int index, double dflt) {
        JsonNode v = instance.path(tag).path("Value");
        return v.isArray() && v.size() > index ? v.get(index).asDouble(dflt) : dflt;
    }

    private static double required(JsonNode instance, String tag, String sop) throws IOException {
        JsonNode v = instance.path(tag).path("Value");
        if (!v.isArray() || v.isEmpty()) throw new IOException("instance " + sop + " lacks (" + tag.substring(0, 4) + "," + tag.substring(4) + ")");
        return v.get(0).asDouble();
    }

    private static double[] numbers(JsonNode instance, String tag, int count, String sop) throws IOException {
        JsonNode v = instance.path(tag).path("Value");
        if (!v.isArray() || v.size() < count) {
            throw new IOException("instance " + sop + " lacks (" + tag.substring(0, 4) + "," + tag.substring(4) + ") with " + count + " values");
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) out[i] = v.get(i).asDouble();
        return out;
    }

    /** One frame's bytes: the single part of a WADO-RS multipart answer. */
    private byte[] frame(URI series, String sop) throws IOException {
        URI uri = URI.create(series + "/instances/" + sop + "/frames/1");
        HttpResponse<byte[]> r = send(uri, FRAME_ACCEPT);
        String type = r.headers().firstValue("Content-Type").orElse("");
        int b = type.toLowerCase(java.util.Locale.ROOT).indexOf("boundary=");
        if (b < 0) {
            return r.body(); // a single part sent as is
        }
        String boundary = type.substring(b + 9).split(";")[0].trim().replace("\"", "");
        return firstPart(r.body(), boundary, uri);
    }

    static byte[] firstPart(byte[] body, String boundary, URI from) throws IOException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int start = indexOf(body, delimiter, 0);
        int headersEnd = start < 0 ? -1 : indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
        if (headersEnd < 0) throw new IOException(from + ": a multipart answer without a part");
        int contentStart = headersEnd + 4;
        int end = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), contentStart);
        if (end < 0) throw new IOException(from + ": a multipart answer without its closing boundary");
        return java.util.Arrays.copyOfRange(body, contentStart, end);
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private byte[] get(URI uri, String accept) throws IOException {
        return send(uri, accept).body();
    }

    private HttpResponse<byte[]> send(URI uri, String accept) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).header("Accept", accept).GET();
        logins.stream().filter(l -> l.covers(uri)).findFirst().ifPresent(l -> b.header("Authorization", l.authorization()));
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw new IOException(uri + " answered HTTP " + r.statusCode()
                        + (r.statusCode() == 401 ? " (no or wrong credentials: settings.dicomWeb)" : ""));
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + uri, e);
        }
    }
}
