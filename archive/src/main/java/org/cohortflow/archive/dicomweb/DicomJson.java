package org.cohortflow.archive.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One dataset in the DICOM JSON model (PS3.18 F.2) as QIDO-RS and WADO-RS metadata return it: attributes keyed
 * by 8-digit hex tags ({@code "0020000D"}), each with a VR and a {@code Value} array.
 */
public record DicomJson(JsonNode node) {
    public static final String PATIENT_ID = "00100020";
    public static final String STUDY_UID = "0020000D";
    public static final String SERIES_UID = "0020000E";
    public static final String SOP_UID = "00080018";
    public static final String SOP_CLASS_UID = "00080016";
    public static final String MODALITY = "00080060";
    public static final String SERIES_DESCRIPTION = "0008103E";
    public static final String STUDY_DATE = "00080020";
    public static final String ROWS = "00280010";
    public static final String COLUMNS = "00280011";
    public static final String INSTANCE_NUMBER = "00200013";
    public static final String SERIES_NUMBER = "00200011";
    public static final String NUMBER_OF_SERIES_RELATED_INSTANCES = "00201209";
    public static final String FRAME_OF_REFERENCE_UID = "00200052";

    /** The first value of {@code tag} as text (a person name's alphabetic form); empty when absent. */
    public String string(String tag) {
        List<String> all = strings(tag);
        return all.isEmpty() ? "" : all.get(0);
    }

    /** All values of {@code tag} as text; empty when absent. */
    public List<String> strings(String tag) {
        JsonNode values = node.path(tag).path("Value");
        List<String> out = new ArrayList<>();
        for (JsonNode v : values) {
            if (v.isObject() && v.has("Alphabetic")) out.add(v.get("Alphabetic").asText());
            else if (v.isValueNode()) out.add(v.asText());
        }
        return out;
    }

    /** The first value of {@code tag} as an integer, if present and numeric. */
    public Optional<Integer> integer(String tag) {
        JsonNode v = node.path(tag).path("Value").path(0);
        if (v.isNumber()) return Optional.of(v.asInt());
        if (v.isTextual()) {
            try {
                return Optional.of(Integer.parseInt(v.asText().trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The items of a sequence attribute; empty when absent. */
    public List<DicomJson> sequence(String tag) {
        List<DicomJson> out = new ArrayList<>();
        for (JsonNode item : node.path(tag).path("Value")) out.add(new DicomJson(item));
        return out;
    }

    /** Whether the dataset has {@code tag} (with or without a value). */
    public boolean has(String tag) {
        return node.has(tag);
    }
}
