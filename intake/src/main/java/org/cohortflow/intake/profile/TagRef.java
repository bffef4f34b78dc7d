package org.cohortflow.intake.profile;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An attribute named in a profile, by keyword ({@code InstitutionName}) or as {@code (0008,0080)} / {@code 00080080}. */
public record TagRef(int group, int element) {
    private static final Pattern HEX = Pattern.compile("\\(?([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})\\)?");
    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;

    /** Parses a keyword or a hexadecimal tag; empty when it is neither. */
    public static Optional<TagRef> parse(String text) {
        String t = text.trim();
        Matcher m = HEX.matcher(t);
        if (m.matches()) {
            return Optional.of(new TagRef(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16)));
        }
        AttributeTag tag = DICTIONARY.getTagFromName(t);
        return tag == null ? Optional.empty() : Optional.of(new TagRef(tag.getGroup(), tag.getElement()));
    }

    /** PixelMed's tag. */
    public AttributeTag tag() {
        return new AttributeTag(group, element);
    }

    @Override
    public String toString() {
        String name = DICTIONARY.getNameFromTag(tag());
        return String.format("(%04X,%04X)", group, element) + (name == null ? "" : " " + name);
    }
}
