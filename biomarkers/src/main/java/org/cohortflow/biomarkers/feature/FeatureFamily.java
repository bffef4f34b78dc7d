package org.cohortflow.biomarkers.feature;

/** The IBSI-1 feature families, with IBSI's short name and family code. */
public enum FeatureFamily {
    MORPHOLOGY("morph", "HCUG"),
    LOCAL_INTENSITY("loc", "9ST6"),
    INTENSITY_STATISTICS("stat", "UHIW"),
    INTENSITY_HISTOGRAM("ih", "ZVCW"),
    INTENSITY_VOLUME_HISTOGRAM("ivh", "P88C"),
    GLCM("cm", "LFYI"),
    GLRLM("rlm", "TP0I"),
    GLSZM("szm", "9SAK"),
    GLDZM("dzm", "VMDZ"),
    NGTDM("ngt", "IPET"),
    NGLDM("ngl", "REK0");

    private final String shortName;
    private final String code;

    FeatureFamily(String shortName, String code) {
        this.shortName = shortName;
        this.code = code;
    }

    /** @return IBSI's short family name used in feature symbols, e.g. {@code "cm"} */
    public String shortName() {
        return shortName;
    }

    /** @return the IBSI family code, e.g. {@code "LFYI"} */
    public String code() {
        return code;
    }
}
