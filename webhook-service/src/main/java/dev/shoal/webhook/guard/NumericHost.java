package dev.shoal.webhook.guard;

/**
 * IPv4 hosts in the forms C libraries accept ({@code inet_aton}): one to four parts, each decimal,
 * octal (leading 0) or hexadecimal (0x), the last part filling the remaining bytes. Such forms
 * ({@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}) are how SSRF filters get bypassed, so
 * the guard decodes them to see what they point at and refuses them in any case.
 */
final class NumericHost {

    private NumericHost() {
    }

    /** True when the host is made only of numeric parts, i.e. it is not a DNS name. */
    static boolean looksNumeric(String host) {
        return host.matches("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}\\.?");
    }

    /** The 32-bit value of an inet_aton form, or null when it is not one (or overflows). */
    static Long decode(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = h.split("\\.", -1);
        if (parts.length == 0 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long v = part(parts[i]);
            if (v == null) {
                return null;
            }
            values[i] = v;
        }
        long result = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 0xff) {
                return null;
            }
            result |= values[i] << (8 * (3 - i));
        }
        long lastMax = (1L << (8 * (5 - parts.length))) - 1;
        long last = values[parts.length - 1];
        if (last > lastMax) {
            return null;
        }
        return result | last;
    }

    /** The value of a canonical dotted quad (four decimal parts 0-255, no leading zeros), else null. */
    static Long canonicalDottedQuad(String text) {
        if (!text.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")) {
            return null;
        }
        long result = 0;
        for (String part : text.split("\\.")) {
            int v = Integer.parseInt(part);
            if (v > 255) {
                return null;
            }
            result = (result << 8) | v;
        }
        return result;
    }

    static byte[] toBytes(long value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static Long part(String p) {
        try {
            if (p.isEmpty()) {
                return null;
            }
            if (p.length() > 1 && (p.startsWith("0x") || p.startsWith("0X"))) {
                return p.length() > 10 ? null : Long.parseLong(p.substring(2), 16);
            }
            if (p.equalsIgnoreCase("0x")) {
                return 0L;
            }
            if (p.length() > 1 && p.startsWith("0")) {
                return p.length() > 12 ? null : Long.parseLong(p.substring(1), 8);
            }
            return p.length() > 10 ? null : Long.parseLong(p);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
