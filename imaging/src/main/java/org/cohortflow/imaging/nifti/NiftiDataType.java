package org.cohortflow.imaging.nifti;

/**
 * The NIfTI voxel datatypes this module reads and writes, with their header codes.
 *
 * <p>{@link #minValue()}/{@link #maxValue()} bound what a writer may store without loss.
 */
public enum NiftiDataType {
    UINT8(2, 8, 0, 255, true),
    INT16(4, 16, Short.MIN_VALUE, Short.MAX_VALUE, true),
    INT32(8, 32, Integer.MIN_VALUE, Integer.MAX_VALUE, true),
    FLOAT32(16, 32, -Float.MAX_VALUE, Float.MAX_VALUE, false),
    FLOAT64(64, 64, -Double.MAX_VALUE, Double.MAX_VALUE, false),
    INT8(256, 8, Byte.MIN_VALUE, Byte.MAX_VALUE, true),
    UINT16(512, 16, 0, 65535, true),
    UINT32(768, 32, 0, 4294967295.0, true),
    INT64(1024, 64, Long.MIN_VALUE, Long.MAX_VALUE, true);

    private final int code;
    private final int bitpix;
    private final double min;
    private final double max;
    private final boolean integer;

    NiftiDataType(int code, int bitpix, double min, double max, boolean integer) {
        this.code = code;
        this.bitpix = bitpix;
        this.min = min;
        this.max = max;
        this.integer = integer;
    }

    /** The {@code datatype} header code. */
    public int code() { return code; }

    /** Bits per voxel ({@code bitpix}). */
    public int bitpix() { return bitpix; }

    /** Bytes per voxel. */
    public int bytes() { return bitpix / 8; }

    /** Whether the type holds integers only. */
    public boolean isInteger() { return integer; }

    public double minValue() { return min; }

    public double maxValue() { return max; }

    /** The type with header code {@code code}, or null when this module does not support it. */
    public static NiftiDataType fromCode(int code) {
        for (NiftiDataType t : values()) if (t.code == code) return t;
        return null;
    }
}
