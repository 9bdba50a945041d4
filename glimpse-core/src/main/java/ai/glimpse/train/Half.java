package ai.glimpse.train;

/**
 * Conversion between 32-bit floats and IEEE 754 binary16 ("half", 1 sign, 5 exponent, 10 fraction
 * bits), as stored in the {@link FeatureCache}. Float to half rounds to nearest, ties to even, as IEEE
 * 754 requires: values from 65520 up become infinity, values below half the smallest subnormal
 * (2^-25) become a signed zero, subnormals are kept, NaN stays NaN (quiet, its top fraction bits kept).
 * Half to float is exact. Java 20 has {@code Float.floatToFloat16}; this is for Java 17.
 */
public final class Half {
    /** The largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;
    /** The smallest positive subnormal half, 2^-24. */
    public static final float MIN_VALUE = 0x1p-24f;

    private Half() {
    }

    /** The half nearest to {@code f} (ties to even), as its 16 bits. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7f_ffff;
        if (exp == 0xff) {                                   // infinity or NaN
            return (short) (sign | 0x7c00 | (mant == 0 ? 0 : 0x200 | (mant >>> 13)));
        }
        int e = exp - 127 + 15;                              // the half's biased exponent
        if (e >= 0x1f) {                                     // 2^16 and above: infinity
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {                                        // a half subnormal or zero
            if (e < -10) {                                   // below 2^-25: rounds to zero
                return (short) sign;
            }
            int full = mant | 0x80_0000;                     // the float's 24-bit significand
            int shift = 14 - e;                              // 14..24
            return (short) (sign | roundShift(full, shift));
        }
        // Normal: keep 10 of 23 fraction bits; a carry out of the fraction bumps the exponent, which
        // is exactly right (up to the next binade, or to infinity from 65520 on).
        int half = (e << 10) | (mant >>> 13);
        return (short) (sign | roundAdd(half, mant, 13));
    }

    /** The float equal to the half with bits {@code h} (exact). */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {                                   // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mant << 13));
        }
        if (exp == 0) {                                      // zero or subnormal: mant * 2^-24
            float magnitude = mant * MIN_VALUE;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Converts {@code n} floats of {@code src} from {@code from} to halves in {@code dst} from {@code at}. */
    public static void fromFloats(float[] src, int from, short[] dst, int at, int n) {
        for (int i = 0; i < n; i++) {
            dst[at + i] = fromFloat(src[from + i]);
        }
    }

    /** Converts {@code n} halves of {@code src} from {@code from} to floats in {@code dst} from {@code at}. */
    public static void toFloats(short[] src, int from, float[] dst, int at, int n) {
        for (int i = 0; i < n; i++) {
            dst[at + i] = toFloat(src[from + i]);
        }
    }

    /** {@code value >> shift} rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (kept & 1) == 1)) {
            kept++;
        }
        return kept;
    }

    /** {@code truncated} plus one when the low {@code shift} bits of {@code mant} round it up (ties to even). */
    private static int roundAdd(int truncated, int mant, int shift) {
        int rest = mant & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (truncated & 1) == 1)) {
            truncated++;
        }
        return truncated;
    }
}
