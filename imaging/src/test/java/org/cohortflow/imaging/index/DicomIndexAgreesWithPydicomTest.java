package org.cohortflow.imaging.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cohortflow.imaging.TestData;
import org.junit.jupiter.api.Test;

/** Our header index and pydicom, an independent DICOM reader, agree on every file of the shared data. */
class DicomIndexAgreesWithPydicomTest {

    /**
     * For every file under argv[1]: a tab-separated line with the path, "ok" or "fail", and the index columns
     * as pydicom reads them (tabs and newlines in values are escaped).
     */
    private static final String SCRIPT = """
            import os, sys, pydicom
            from pydicom.errors import InvalidDicomError
            def s(ds, kw):
                v = ds.get(kw, '')
                v = '' if v is None else str(v).strip()
                return v.replace('\\\\', '\\\\\\\\').replace('\\t', '\\\\t').replace('\\n', '\\\\n')
            for dirpath, dirs, files in os.walk(sys.argv[1]):
                for name in files:
                    p = os.path.join(dirpath, name)
                    try:
                        ds = pydicom.dcmread(p, stop_before_pixels=True)
                        rows = ds.get('Rows', None); cols = ds.get('Columns', None)
                        print('\\t'.join([p, 'ok', s(ds, 'PatientID'), s(ds, 'StudyInstanceUID'), s(ds, 'SeriesInstanceUID'),
                                         s(ds, 'SOPInstanceUID'), s(ds, 'Modality'), '' if rows is None else str(int(rows)),
                                         '' if cols is None else str(int(cols)), s(ds, 'SeriesDescription')]))
                    except (InvalidDicomError, EOFError, OSError, ValueError) as e:
                        print('\\t'.join([p, 'fail']))
            """;

    @Test
    void headerIndexAgreesWithPydicomOnEveryFile() throws Exception {
        Path data = TestData.require().toAbsolutePath().normalize();     // our index names files by absolute path
        String python = TestData.requirePython("pydicom");
        String out = TestData.runPython(python, SCRIPT, List.of(data.toString()));
        IndexResult result = DicomIndexer.index(data, 2);

        Map<String, IndexRow> rows = new HashMap<>();
        for (IndexRow r : result.rows()) rows.put(r.location(), r);
        Map<String, IndexFailure> failures = new HashMap<>();
        for (IndexFailure f : result.failures()) failures.put(f.location(), f);

        int files = 0, dicom = 0;
        List<String> mismatches = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split("\t", -1);
            files++;
            if (f[1].equals("fail")) {
                if (!failures.containsKey(f[0])) mismatches.add(f[0] + ": pydicom cannot read it but we indexed it");
                continue;
            }
            dicom++;
            IndexRow r = rows.get(f[0]);
            if (r == null) {
                IndexFailure why = failures.get(f[0]);
                mismatches.add(f[0] + ": pydicom reads it but we did not: " + (why == null ? "missing" : why.error()));
                continue;
            }
            String[] ours = {r.patientId(), r.studyUid(), r.seriesUid(), r.sopUid(), r.modality(),
                r.rows() == null ? "" : r.rows().toString(), r.columns() == null ? "" : r.columns().toString(), escape(r.seriesDescription())};
            String[] names = {"patient_id", "study_uid", "series_uid", "sop_uid", "modality", "rows", "columns", "series_description"};
            for (int i = 0; i < ours.length; i++) {
                if (!ours[i].equals(f[2 + i])) mismatches.add(f[0] + ": " + names[i] + " '" + ours[i] + "' vs pydicom '" + f[2 + i] + "'");
            }
        }
        System.out.printf("pydicom comparison: %d files, %d DICOM, %d rows and %d failures in our index%n", files, dicom,
                result.rows().size(), result.failures().size());
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " mismatches, e.g. " + mismatches.subList(0, Math.min(10, mismatches.size())));
        assertEquals(files, result.rows().size() + result.failures().size(), "every file is a row or a failure");
        assertFalse(result.rows().isEmpty());
        assertNotNull(rows.values().iterator().next().sopUid());
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }
}
