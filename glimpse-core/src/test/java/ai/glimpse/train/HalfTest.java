package ai.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Float to half rounds to nearest even at every edge; half to float is exact. */
class HalfTest {
    private static short h(int bits) {
        return (short) bits;
    }

    private static void assertHalf(int expectedBits, float f) {
        assertEquals(Integer.toHexString(expectedBits), Integer.toHexString(Half.fromFloat(f) & 0xffff), "half of " + f);
    }

    @Test
    void edgeValuesByHand() {
        assertHalf(0x0000, 0f);
        assertHalf(0x8000, -0f);
        assertHalf(0x3c00, 1f);
        assertHalf(0xc000, -2f);
        assertHalf(0x3555, 1f / 3);                       // 0.333251953125, the nearest half
        assertHalf(0x7bff, 65504f);                       // the largest finite half
        assertHalf(0x7bff, 65519.99f);                    // below the midpoint to 65536: stays finite
        assertHalf(0x7c00, 65520f);                       // the midpoint: ties to even, i.e. infinity
        assertHalf(0x7c00, 1e10f);
        assertHalf(0xfc00, -1e10f);
        assertHalf(0x7c00, Float.POSITIVE_INFINITY);
        assertHalf(0xfc00, Float.NEGATIVE_INFINITY);
        assertHalf(0x0400, 0x1p-14f);                     // smallest normal
        assertHalf(0x03ff, 0x1p-14f - 0x1p-24f);          // largest subnormal
        assertHalf(0x0001, 0x1p-24f);                     // smallest subnormal
        assertHalf(0x0000, 0x1p-25f);                     // half of it: a tie, to even zero
        assertHalf(0x0001, Math.nextUp(0x1p-25f));        // just above: up to the subnormal
        assertHalf(0x8001, -0x1.8p-25f);                  // 0.75 of it, negative
        assertHalf(0x0002, 0x1.8p-24f);                   // 1.5 subnormals: tie, to even 2
        assertHalf(0x0002, 0x1.4p-23f);                   // 2.5 subnormals: tie, to even 2
        assertHalf(0x0000, Float.MIN_VALUE);              // float subnormal: zero
        assertHalf(0x3c00, 1f + 0x1p-11f);                // tie between 1 and 1+2^-10: to even 1
        assertHalf(0x3c02, 1f + 3 * 0x1p-11f);            // tie between 1+2^-10 and 1+2^-9: to even
        assertHalf(0x3c01, Math.nextUp(1f + 0x1p-11f));
        assertHalf(0x4000, 2f - 0x1p-12f);                // rounds up across the binade
        short nan = Half.fromFloat(Float.NaN);
        assertTrue((nan & 0x7c00) == 0x7c00 && (nan & 0x3ff) != 0, "NaN stays NaN");
        assertTrue(Float.isNaN(Half.toFloat(nan)));
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.intBitsToFloat(0x7f80_0001)))), "signalling NaN stays NaN");
    }

    @Test
    void halfToFloatByHand() {
        assertEquals(0f, Half.toFloat(h(0x0000)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Half.toFloat(h(0x8000))));
        assertEquals(65504f, Half.toFloat(h(0x7bff)));
        assertEquals(0x1p-24f, Half.toFloat(h(0x0001)));
        assertEquals(-0x1p-14f, Half.toFloat(h(0x8400)));
        assertEquals(0x3ffp-24f, Half.toFloat(h(0x03ff)));
        assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(h(0x7c00)));
        assertEquals(Float.NEGATIVE_INFINITY, Half.toFloat(h(0xfc00)));
    }

    @Test
    void everyHalfRoundTripsAndMidpointsTieToEven() {
        for (int bits = 0; bits < 0x10000; bits++) {
            if ((bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0) {
                continue;                                     // NaNs, checked above
            }
            float f = Half.toFloat(h(bits));
            assertHalf(bits, f);
            if ((bits & 0x7fff) >= 0x7bff) {
                continue;                                     // no finite next half
            }
            float next = Half.toFloat(h(bits + 1));           // the next half away from zero
            float mid = (f + next) / 2;                       // exact in float
            int even = (bits & 1) == 0 ? bits : bits + 1;
            assertHalf(even, mid);
            boolean positive = (bits & 0x8000) == 0;
            assertHalf(bits, positive ? Math.nextDown(mid) : Math.nextUp(mid));      // nearer to f
            assertHalf(bits + 1, positive ? Math.nextUp(mid) : Math.nextDown(mid));  // nearer to next
        }
    }

    @Test
    void bulkConversionsMatchTheScalarOnes() {
        float[] src = {0f, 1.5f, -3.25f, 70000f, 0x1p-20f};
        short[] halves = new short[7];
        Half.fromFloats(src, 1, halves, 2, 4);
        assertEquals(0, halves[0]);
        assertEquals(Half.fromFloat(1.5f), halves[2]);
        assertEquals(Half.fromFloat(0x1p-20f), halves[5]);
        float[] back = new float[5];
        Half.toFloats(halves, 2, back, 1, 4);
        assertEquals(1.5f, back[1]);
        assertEquals(-3.25f, back[2]);
        assertEquals(Float.POSITIVE_INFINITY, back[3]);
        assertEquals(0x1p-20f, back[4]);
    }
}
