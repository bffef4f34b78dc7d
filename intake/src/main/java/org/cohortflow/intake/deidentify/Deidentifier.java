package org.cohortflow.intake.deidentify;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.ClinicalTrialsAttributes;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cohortflow.intake.profile.DeidOption;
import org.cohortflow.intake.profile.Profile;
import org.cohortflow.intake.profile.TagRef;

/**
 * De-identifies one DICOM object per PS3.15 Annex E: the Basic Application Level Confidentiality Profile
 * and the options a project's {@link Profile} chooses. PixelMed's {@link ClinicalTrialsAttributes} removes
 * or empties the identifying attributes it knows; cohortflow's {@link ActionTable} then enforces the table's
 * actions (PixelMed's lists lag the standard), and cohortflow does itself what PixelMed does with static,
 * random state: UIDs are replaced by keyed hashes of the originals (consistent across objects, processes
 * and restarts) and dates shift by a per-patient offset derived from the project's secret.
 *
 * <p>Instances are immutable and thread-safe when the {@link IdMap} is.
 */
public final class Deidentifier {
    /** The implementation AE/name written to the file meta information. */
    public static final String SOURCE_AE = "COHORTFLOW";
    private static final AttributeTag BURNED_IN = new AttributeTag(0x0028, 0x0301);
    private static final AttributeTag LONGITUDINAL_MODIFIED = new AttributeTag(0x0028, 0x0303);
    private static final AttributeTag IDENTITY_REMOVED = new AttributeTag(0x0012, 0x0062);
    private static final AttributeTag METHOD = new AttributeTag(0x0012, 0x0063);
    private static final AttributeTag METHOD_CODES = new AttributeTag(0x0012, 0x0064);
    private static final AttributeTag TRIAL_SPONSOR = new AttributeTag(0x0012, 0x0010);
    private static final AttributeTag TRIAL_PROTOCOL = new AttributeTag(0x0012, 0x0020);
    private static final AttributeTag TRIAL_SUBJECT = new AttributeTag(0x0012, 0x0040);
    /** UIDs that name kinds of things, not instances: never remapped. */
    private static final Set<AttributeTag> UID_KINDS = Set.of(TagFromName.SOPClassUID,
            TagFromName.ReferencedSOPClassUID, TagFromName.MediaStorageSOPClassUID, TagFromName.TransferSyntaxUID,
            TagFromName.ImplementationClassUID, TagFromName.CodingSchemeUID, TagFromName.AffectedSOPClassUID,
            TagFromName.RequestedSOPClassUID, TagFromName.ReferencedTransferSyntaxUIDInFile,
            TagFromName.ReferencedSOPClassUIDInFile, TagFromName.ContextGroupExtensionCreatorUID,
            TagFromName.PrivateInformationCreatorUID, TagFromName.RelatedGeneralSOPClassUID,
            TagFromName.OriginalSpecializedSOPClassUID, TagFromName.SOPClassesInStudy);
    private static final Set<String> BURNED_IN_MODALITIES = Set.of("US", "XC", "ES", "OT", "DOC", "SC");
    private static final Set<String> TEXT_VRS = Set.of("LO", "SH", "ST", "LT", "UT", "UC", "PN", "AE");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final Profile profile;
    private final IdMap ids;
    private final KeyedHash hash;
    private final ActionTable table;

    public Deidentifier(Profile profile, IdMap ids) {
        this(profile, ids, ActionTable.standard());
    }

    public Deidentifier(Profile profile, IdMap ids, ActionTable table) {
        this.profile = profile;
        this.ids = ids;
        this.hash = new KeyedHash(profile.secret());
        this.table = table;
    }

    /**
     * The UID an original instance, series, study or frame-of-reference UID gets in this project (unless the
     * profile retains UIDs): lets a site or a test find an object it sent.
     */
    public String replacementUid(String originalUid) {
        return profile.has(DeidOption.RETAIN_UIDS) ? originalUid : hash.uid(originalUid);
    }

    /** The profile in use. */
    public Profile profile() {
        return profile;
    }

    /**
     * Checks {@code list} against the profile's filters and burned-in rule, then de-identifies it in place.
     * A quarantined object is left as received.
     */
    public Outcome deidentify(AttributeList list) {
        String patientId = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientID).trim();
        if (patientId.isEmpty()) {
            return new Outcome.Quarantined(Outcome.Reason.NO_PATIENT_ID, "the object has no PatientID");
        }
        String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID);
        if (sopClass.isEmpty() || Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID).isEmpty()) {
            return new Outcome.Quarantined(Outcome.Reason.UNKNOWN_SOP_CLASS, "the object has no SOPClassUID or SOPInstanceUID");
        }
        if (!SOPClass.isStorage(sopClass) && !SOPClass.isImageStorage(sopClass)) {
            return new Outcome.Quarantined(Outcome.Reason.UNKNOWN_SOP_CLASS, "SOP class " + sopClass + " is not a known storage class");
        }
        String modality = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.Modality);
        var refusal = profile.filters().refusal(modality,
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyDescription));
        if (refusal.isPresent()) {
            return new Outcome.Quarantined(Outcome.Reason.FILTERED, refusal.get());
        }
        if (profile.burnedIn() == Profile.BurnedIn.QUARANTINE) {
            String burned = Attribute.getSingleStringValueOrEmptyString(list, BURNED_IN).trim();
            if (burned.equalsIgnoreCase("YES")) {
                return new Outcome.Quarantined(Outcome.Reason.BURNED_IN, "BurnedInAnnotation is YES");
            }
            if (!burned.equalsIgnoreCase("NO") && (BURNED_IN_MODALITIES.contains(modality)
                    || sopClass.startsWith("1.2.840.10008.5.1.4.1.1.7"))) {
                return new Outcome.Quarantined(Outcome.Reason.BURNED_IN, "modality " + modality + " / SOP class " + sopClass
                        + " may carry burned-in annotation and BurnedInAnnotation is not NO");
            }
        }
        try {
            return apply(list, patientId);
        } catch (DicomException | RuntimeException e) {
            return new Outcome.Quarantined(Outcome.Reason.FAILED, "de-identification failed: " + e);
        }
    }

    private Outcome apply(AttributeList list, String patientId) throws DicomException {
        Set<DeidOption> options = profile.options();
        Identity identity = Identity.of(list, patientId);
        String pseudonym = ids.pseudonym(patientId);
        int shift = hash.days(patientId, profile.maxShiftDays());
        Map<AttributeTag, Attribute> kept = new LinkedHashMap<>();
        for (TagRef t : profile.keep()) {
            Attribute a = list.get(t.tag());
            if (a != null) {
                // Taken out while the rest is processed, so that no later step can touch it.
                kept.put(t.tag(), list.remove(t.tag()));
            }
        }
        removePrivate(list, options.contains(DeidOption.RETAIN_SAFE_PRIVATE));
        boolean descriptors = options.contains(DeidOption.CLEAN_DESCRIPTORS);
        boolean dates = options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES);
        ClinicalTrialsAttributes.removeOrNullIdentifyingAttributes(list, ClinicalTrialsAttributes.HandleUIDs.keep,
                descriptors, descriptors, descriptors, options.contains(DeidOption.RETAIN_PATIENT_CHARACTERISTICS),
                options.contains(DeidOption.RETAIN_DEVICE_IDENTITY), false,
                dates ? ClinicalTrialsAttributes.HandleDates.keep : ClinicalTrialsAttributes.HandleDates.remove,
                null, null);
        applyTable(list, options, shift);
        if (dates) {
            shiftAllDates(list, shift);
        }
        if (!options.contains(DeidOption.RETAIN_UIDS)) {
            remapUids(list);
        }
        scrub(list, identity, pseudonym);
        for (TagRef t : profile.remove()) {
            list.removeRecursively(t.tag());
        }
        for (Map.Entry<TagRef, String> e : profile.replace().entrySet()) {
            Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(e.getKey().tag());
            a.addValue(e.getValue());
            list.put(a);
        }
        kept.forEach((tag, a) -> list.put(tag, a));
        mark(list, pseudonym, options, dates);
        return new Outcome.Deidentified(pseudonym,
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID),
                Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID));
    }

    /** Removes private attributes at every level, or only the unsafe ones with the Retain Safe Private option. */
    private static void removePrivate(AttributeList list, boolean keepSafe) {
        List<AttributeTag> drop = new ArrayList<>();
        for (Attribute a : list.values()) {
            AttributeTag tag = a.getTag();
            if (tag.isPrivate() && !(keepSafe && ClinicalTrialsAttributes.isSafePrivateAttribute(tag, list))) {
                drop.add(tag);
            } else if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) {
                    removePrivate(s.getItem(i).getAttributeList(), keepSafe);
                }
            }
        }
        drop.forEach(list::remove);
    }

    private void applyTable(AttributeList list, Set<DeidOption> options, int shift) throws DicomException {
        for (Attribute a : new ArrayList<>(list.values())) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) {
                    applyTable(s.getItem(i).getAttributeList(), options, shift);
                }
            }
        }
        for (ActionTable.Row row : table.rows()) {
            AttributeTag tag = row.tag().tag();
            Attribute a = list.get(tag);
            if (a == null) {
                continue;
            }
            switch (row.action(options)) {
                case X -> list.remove(tag);
                case Z -> empty(list, a);
                case D -> dummy(list, a);
                case C -> {
                    // Dates are shifted below, text is scrubbed of the patient's names and ids: both are the clean step.
                }
                case U, K -> {
                    // UIDs are remapped in one pass over every UI attribute; K keeps.
                }
            }
        }
    }

    private static void empty(AttributeList list, Attribute a) throws DicomException {
        if (a instanceof SequenceAttribute) {
            list.put(new SequenceAttribute(a.getTag()));
        } else {
            list.replaceWithZeroLengthIfPresent(a.getTag());
        }
    }

    private static void dummy(AttributeList list, Attribute a) throws DicomException {
        byte[] vr = a.getVR();
        if (a instanceof SequenceAttribute) {
            list.put(new SequenceAttribute(a.getTag()));
        } else if (ValueRepresentation.isDateVR(vr)) {
            list.replace(a.getTag(), "19000101");
        } else if (ValueRepresentation.isTimeVR(vr)) {
            list.replace(a.getTag(), "000000");
        } else if (ValueRepresentation.isDateTimeVR(vr)) {
            list.replace(a.getTag(), "19000101000000");
        } else {
            list.replace(a.getTag(), "ANONYMIZED");
        }
    }

    private void shiftAllDates(AttributeList list, int days) throws DicomException {
        for (Attribute a : new ArrayList<>(list.values())) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) {
                    shiftAllDates(s.getItem(i).getAttributeList(), days);
                }
                continue;
            }
            byte[] vr = a.getVR();
            boolean date = ValueRepresentation.isDateVR(vr);
            if ((!date && !ValueRepresentation.isDateTimeVR(vr)) || a.getVM() == 0
                    || a.getTag().equals(TagFromName.PatientBirthDate)) {
                continue;
            }
            String[] values = a.getStringValues();
            a.removeValues();
            for (String v : values) {
                a.addValue(shift(v, days));
            }
        }
    }

    /** Moves a DA or DT value back by {@code days}, keeping any time part; an unreadable value becomes empty. */
    static String shift(String value, int days) {
        String v = value.trim();
        if (v.length() < 8) {
            return "";
        }
        try {
            LocalDate d = LocalDate.parse(v.substring(0, 8), DA).minusDays(days);
            return d.format(DA) + v.substring(8);
        } catch (java.time.format.DateTimeParseException e) {
            return "";
        }
    }

    private void remapUids(AttributeList list) throws DicomException {
        for (Attribute a : new ArrayList<>(list.values())) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) {
                    remapUids(s.getItem(i).getAttributeList());
                }
                continue;
            }
            if (!ValueRepresentation.isUniqueIdentifierVR(a.getVR()) || UID_KINDS.contains(a.getTag()) || a.getVM() == 0) {
                continue;
            }
            String[] values = a.getStringValues();
            a.removeValues();
            for (String v : values) {
                String t = v.trim();
                a.addValue(t.isEmpty() || t.startsWith("1.2.840.10008.") ? t : hash.uid(t));
            }
        }
    }

    /**
     * Replaces every remaining occurrence of the patient's names, ids and birth date in text attributes by the
     * pseudonym: the clean step for descriptors kept by option, and a net under attributes the table misses.
     */
    private void scrub(AttributeList list, Identity identity, String pseudonym) throws DicomException {
        if (identity.pattern() == null) {
            return;
        }
        for (Attribute a : new ArrayList<>(list.values())) {
            if (a instanceof SequenceAttribute s) {
                for (int i = 0; i < s.getNumberOfItems(); i++) {
                    scrub(s.getItem(i).getAttributeList(), identity, pseudonym);
                }
                continue;
            }
            if (!TEXT_VRS.contains(ValueRepresentation.getAsString(a.getVR())) || a.getVM() == 0) {
                continue;
            }
            String[] values = a.getStringValues();
            boolean changed = false;
            for (int i = 0; i < values.length; i++) {
                Matcher m = identity.pattern().matcher(values[i]);
                if (m.find()) {
                    values[i] = m.replaceAll(Matcher.quoteReplacement(pseudonym));
                    changed = true;
                }
            }
            if (changed) {
                a.removeValues();
                for (String v : values) {
                    a.addValue(v);
                }
            }
        }
    }

    private void mark(AttributeList list, String pseudonym, Set<DeidOption> options, boolean datesShifted)
            throws DicomException {
        set(list, TagFromName.PatientName, pseudonym);
        set(list, TagFromName.PatientID, pseudonym);
        put(list, new CodeStringAttribute(IDENTITY_REMOVED), "YES");
        LongStringAttribute method = new LongStringAttribute(METHOD);
        method.addValue("cohortflow PS3.15 E.1 Basic Profile");
        for (DeidOption o : DeidOption.values()) {
            if (options.contains(o)) {
                method.addValue(o.yamlName());
            }
        }
        list.put(method);
        SequenceAttribute codes = new SequenceAttribute(METHOD_CODES);
        codes.addItem(code("113100", "Basic Application Confidentiality Profile"));
        for (DeidOption o : DeidOption.values()) {
            if (options.contains(o)) {
                codes.addItem(code(o.code(), o.meaning()));
            }
        }
        list.put(codes);
        put(list, new CodeStringAttribute(LONGITUDINAL_MODIFIED), datesShifted ? "MODIFIED" : "REMOVED");
        put(list, new LongStringAttribute(TRIAL_SPONSOR), profile.project());
        put(list, new LongStringAttribute(TRIAL_PROTOCOL), profile.project());
        put(list, new LongStringAttribute(TRIAL_SUBJECT), pseudonym);
    }

    private static void set(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    private static void put(AttributeList list, Attribute a, String value) throws DicomException {
        a.addValue(value);
        list.put(a);
    }

    private static SequenceItem code(String value, String meaning) throws DicomException {
        AttributeList item = new AttributeList();
        put(item, new ShortStringAttribute(TagFromName.CodeValue), value);
        put(item, new ShortStringAttribute(TagFromName.CodingSchemeDesignator), "DCM");
        put(item, new LongStringAttribute(TagFromName.CodeMeaning), meaning);
        return new SequenceItem(item);
    }

    /** The patient's identifying strings as one case-insensitive pattern of whole tokens (or null when none). */
    private record Identity(Pattern pattern) {
        static Identity of(AttributeList list, String patientId) {
            List<String> tokens = new ArrayList<>();
            tokens.add(patientId);
            String name = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientName);
            for (String part : name.split("[\\^= ,]+")) {
                if (part.trim().length() >= 3) {
                    tokens.add(part.trim());
                }
            }
            String birth = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientBirthDate).trim();
            if (birth.length() == 8) {
                tokens.add(birth);
            }
            StringBuilder sb = new StringBuilder();
            for (String t : tokens) {
                if (t.length() < 3) {
                    continue;
                }
                sb.append(sb.length() == 0 ? "" : "|").append(Pattern.quote(t.toLowerCase(Locale.ROOT)));
            }
            return new Identity(sb.length() == 0 ? null
                    : Pattern.compile("(?<![A-Za-z0-9])(?:" + sb + ")(?![A-Za-z0-9])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        }
    }
}
