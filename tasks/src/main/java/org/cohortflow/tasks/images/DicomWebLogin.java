package org.cohortflow.tasks.images;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials for a DICOMweb archive, used for every series URL that starts with {@code url} (settings
 * {@code dicomWeb: [{url, user, password}]}), so that task content never carries a password.
 *
 * @param url      the archive's DICOMweb root, e.g. {@code http://pacs:8042/dicom-web}
 * @param user     HTTP Basic user
 * @param password HTTP Basic password
 */
public record DicomWebLogin(URI url, String user, String password) {

    /** True when {@code series} lies below this login's root. */
    public boolean covers(URI series) {
        String root = url.toString().replaceAll("/+$", "");
        String s = series.toString();
        return s.equals(root) || s.startsWith(root + "/");
    }

    /** The value of the {@code Authorization} header. */
    public String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "DicomWebLogin[" + url + ", " + user + "]"; // never the password
    }
}
