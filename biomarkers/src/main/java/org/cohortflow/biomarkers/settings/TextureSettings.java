package org.cohortflow.biomarkers.settings;

/**
 * Texture matrix parameters (IBSI 3.6-3.11).
 *
 * @param glcmDistance  Chebyshev distance of GLCM voxel pairs
 * @param ngldmAlpha    NGLDM coarseness parameter
 * @param ngldmDistance NGLDM neighbourhood distance
 * @param ngtdmDistance NGTDM neighbourhood distance
 */
public record TextureSettings(int glcmDistance, int ngldmAlpha, int ngldmDistance, int ngtdmDistance) {

    public TextureSettings {
        requirePositive("texture.glcm_distance", glcmDistance);
        requirePositive("texture.ngldm_distance", ngldmDistance);
        requirePositive("texture.ngtdm_distance", ngtdmDistance);
        if (ngldmAlpha < 0) {
            throw new IllegalArgumentException("texture.ngldm_alpha must not be negative, got " + ngldmAlpha);
        }
    }

    /** @return IBSI's defaults: distance 1 everywhere, alpha 0 */
    public static TextureSettings defaults() {
        return new TextureSettings(1, 0, 1, 1);
    }

    private static void requirePositive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + value);
        }
    }
}
