package org.cohortflow.tasks.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataRootsTest {
    private final DataRoots roots = new DataRoots(List.of());

    @Test
    void aDicomwebUrlNamingASeriesIsReadOverHttpAsADicomWebSeries() {
        ImageLocation l = roots.resolve("dicomweb://pacs:8042/dicom-web/studies/1.2.3/series/4.5.6");
        assertEquals(new ImageLocation.DicomWeb(URI.create("http://pacs:8042/dicom-web/studies/1.2.3/series/4.5.6")), l);
        assertEquals("series.nii", l.fileName(), "NiiVue recognises the served volume by its name");
        assertEquals(URI.create("https://pacs/dicom-web/studies/1/series/2"),
                ((ImageLocation.DicomWeb) roots.resolve("dicomwebs://pacs/dicom-web/studies/1/series/2/")).series());
    }

    @Test
    void anHttpUrlOfASeriesResourceIsADicomWebSeriesAndAnyOtherHttpUrlIsAFile() {
        assertInstanceOf(ImageLocation.DicomWeb.class, roots.resolve("http://pacs/dicom-web/studies/1.2/series/3.4"));
        ImageLocation nifti = roots.resolve("http://files/out/ct.nii.gz");
        assertInstanceOf(ImageLocation.Web.class, nifti);
        assertEquals("ct.nii.gz", nifti.fileName());
    }

    @Test
    void aDicomwebUrlThatIsNotASeriesIsRefusedWithTheFormItNeeds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> roots.resolve("dicomweb://pacs/dicom-web/studies/1.2.3"));
        assertTrue(e.getMessage().contains("ROOT/studies/UID/series/UID"), e.getMessage());
    }

    @Test
    void aLoginCoversTheUrlsBelowItsRootOnly() {
        DicomWebLogin login = new DicomWebLogin(URI.create("http://pacs:8042/dicom-web/"), "u", "p");
        assertTrue(login.covers(URI.create("http://pacs:8042/dicom-web/studies/1/series/2")));
        assertTrue(!login.covers(URI.create("http://pacs:8042/dicom-web-other/studies/1/series/2")));
        assertTrue(!login.covers(URI.create("http://other:8042/dicom-web/studies/1/series/2")));
        assertTrue(!login.toString().contains("p]"), "the password is not printed: " + login);
    }
}
