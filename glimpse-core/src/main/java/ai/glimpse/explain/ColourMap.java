package ai.glimpse.explain;

/**
 * Perceptually uniform colour maps for heat values in [0, 1]: each is a table of nine colours at
 * equal steps (0, 1/8, ..., 1), interpolated linearly in between. The stops are those of matplotlib's
 * viridis and inferno maps (van der Walt and Smith, 2015), which stay readable in grey and for common
 * colour-vision deficiencies.
 */
public enum ColourMap {
    /** Dark violet through blue and green to yellow; low attention stays a visible tint. */
    VIRIDIS(0x440154, 0x472c7a, 0x3b518b, 0x2c718e, 0x21908d, 0x27ad81, 0x5cc863, 0xaadc32, 0xfde725),
    /** Black through purple, red and orange to pale yellow; low attention darkens, high attention glows. */
    INFERNO(0x000004, 0x1f0c48, 0x550f6d, 0x88226a, 0xba3655, 0xe35933, 0xf98e09, 0xf9cb35, 0xfcffa4);

    private final int[] stops;
    private final int[] lookup = new int[256];

    ColourMap(int... stops) {
        this.stops = stops;
        for (int i = 0; i < lookup.length; i++) {
            lookup[i] = interpolate(i / 255.0);
        }
    }

    /** The colour (0xRRGGBB) of heat {@code t}, clamped to [0, 1]; NaN counts as 0. */
    public int rgb(double t) {
        double c = t > 0 ? Math.min(1, t) : 0;
        return lookup[(int) Math.round(c * 255)];
    }

    /** The stop colours, lowest first. */
    public int[] stops() {
        return stops.clone();
    }

    private int interpolate(double t) {
        double pos = t * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(pos));
        double f = pos - i;
        int a = stops[i];
        int b = stops[i + 1];
        int r = mix(a >> 16 & 0xff, b >> 16 & 0xff, f);
        int g = mix(a >> 8 & 0xff, b >> 8 & 0xff, f);
        int bl = mix(a & 0xff, b & 0xff, f);
        return r << 16 | g << 8 | bl;
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }

    /** Parses a name such as {@code viridis} (any case). */
    public static ColourMap parse(String name) {
        for (ColourMap map : values()) {
            if (map.name().equalsIgnoreCase(name.strip())) {
                return map;
            }
        }
        throw new IllegalArgumentException("unknown colour map '" + name + "' (expected viridis or inferno)");
    }
}
