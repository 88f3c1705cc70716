package dev.shoal.webhook.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}, matched on raw address bytes. */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(address);
        int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length out of range in " + text);
        }
        return new Cidr(bytes, prefix);
    }

    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    /**
     * Parses an IP literal without ever asking DNS. Only canonical dotted-quad IPv4 and IPv6
     * literals are accepted; an IPv4-mapped IPv6 literal keeps its 16 bytes here, so a block
     * written as {@code ::ffff:0:0/96} can match it.
     */
    static byte[] literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (t.contains(":")) {
            if (!t.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException("not an IP literal: " + text);
            }
            return ipv6Bytes(t);
        }
        Long value = NumericHost.canonicalDottedQuad(t);
        if (value == null) {
            throw new IllegalArgumentException("not an IP literal: " + text);
        }
        return NumericHost.toBytes(value);
    }

    /** IPv6 literal to 16 bytes; Java would turn an IPv4-mapped literal into 4 bytes, so parse by hand. */
    static byte[] ipv6Bytes(String t) {
        String text = t;
        byte[] tail = new byte[0];
        int lastColon = text.lastIndexOf(':');
        String last = text.substring(lastColon + 1);
        if (last.contains(".")) {
            Long v4 = NumericHost.canonicalDottedQuad(last);
            if (v4 == null) {
                throw new IllegalArgumentException("bad embedded IPv4 in " + t);
            }
            tail = NumericHost.toBytes(v4);
            text = text.substring(0, lastColon + 1) + "0:0";
        }
        try {
            byte[] bytes = InetAddress.getByName("[" + text + "]").getAddress();
            byte[] full = bytes.length == 16 ? bytes : mappedOf(bytes);
            System.arraycopy(tail, 0, full, 16 - tail.length, tail.length);
            return full;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 literal: " + t, e);
        }
    }

    static byte[] mappedOf(byte[] v4) {
        byte[] full = new byte[16];
        full[10] = (byte) 0xff;
        full[11] = (byte) 0xff;
        System.arraycopy(v4, 0, full, 12, 4);
        return full;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return "?/" + prefix;
        }
    }
}
