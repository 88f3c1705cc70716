package dev.shoal.webhook.guard;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides which network addresses a webhook may reach. Deliveries are made by the server, inside
 * the operator's network, so a hook URL must not become a way to reach loopback, private networks,
 * cloud metadata or anything else that is not the public internet (the SSRF holes of LESSONS.md).
 * An operator allow-list ({@code shoal.webhook.allowed-hosts}) lifts the block for chosen hosts or
 * ranges. Plain Java, no I/O: resolution happens in the dispatcher, which passes every resolved
 * address here.
 */
public final class AddressGuard {

    private record Range(Cidr cidr, String name) {
    }

    private static final List<Range> BLOCKED = List.of(
            range("0.0.0.0/8", "the 'this network' range 0.0.0.0/8"),
            range("10.0.0.0/8", "the private range 10.0.0.0/8"),
            range("100.64.0.0/10", "the carrier-grade NAT range 100.64.0.0/10"),
            range("127.0.0.0/8", "loopback (127.0.0.0/8)"),
            range("169.254.169.254/32", "the cloud metadata address 169.254.169.254"),
            range("169.254.0.0/16", "the link-local range 169.254.0.0/16"),
            range("172.16.0.0/12", "the private range 172.16.0.0/12"),
            range("192.0.0.0/24", "the IETF protocol range 192.0.0.0/24"),
            range("192.0.2.0/24", "the documentation range 192.0.2.0/24"),
            range("192.168.0.0/16", "the private range 192.168.0.0/16"),
            range("198.18.0.0/15", "the benchmarking range 198.18.0.0/15"),
            range("198.51.100.0/24", "the documentation range 198.51.100.0/24"),
            range("203.0.113.0/24", "the documentation range 203.0.113.0/24"),
            range("224.0.0.0/4", "multicast (224.0.0.0/4)"),
            range("255.255.255.255/32", "the broadcast address"),
            range("240.0.0.0/4", "the reserved range 240.0.0.0/4"),
            range("::/128", "the unspecified IPv6 address ::"),
            range("::1/128", "IPv6 loopback (::1)"),
            range("::/96", "an IPv4-compatible IPv6 address (::/96, deprecated)"),
            range("64:ff9b:1::/48", "the local NAT64 range 64:ff9b:1::/48"),
            range("100::/64", "the IPv6 discard range 100::/64"),
            range("2001::/32", "a Teredo tunnel address (2001::/32)"),
            range("2001:db8::/32", "the IPv6 documentation range 2001:db8::/32"),
            range("fc00::/7", "an IPv6 unique local address (fc00::/7)"),
            range("fe80::/10", "an IPv6 link-local address (fe80::/10)"),
            range("fec0::/10", "an IPv6 site-local address (fec0::/10)"),
            range("ff00::/8", "IPv6 multicast (ff00::/8)"));

    private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private final List<Cidr> allowedRanges;
    private final List<String> allowedHosts;

    private AddressGuard(List<Cidr> allowedRanges, List<String> allowedHosts) {
        this.allowedRanges = List.copyOf(allowedRanges);
        this.allowedHosts = List.copyOf(allowedHosts);
    }

    /** No exceptions: every blocked range stays blocked. */
    public static AddressGuard strict() {
        return new AddressGuard(List.of(), List.of());
    }

    /**
     * From the operator's allow-list: {@code loopback} (127.0.0.0/8 and ::1), IP addresses, CIDR
     * blocks, host names, and {@code *.suffix} wildcards.
     */
    public static AddressGuard withAllowList(List<String> entries) {
        List<Cidr> ranges = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("loopback")) {
                ranges.add(Cidr.parse("127.0.0.0/8"));
                ranges.add(Cidr.parse("::1/128"));
                continue;
            }
            try {
                ranges.add(Cidr.parse(entry));
            } catch (IllegalArgumentException notAnAddress) {
                if (entry.contains("/")) {
                    throw new IllegalArgumentException("shoal.webhook.allowed-hosts: '" + raw + "' is not a valid CIDR block");
                }
                hosts.add(entry);
            }
        }
        return new AddressGuard(ranges, hosts);
    }

    /** Whether the operator allowed this host name as such (its addresses are then not checked). */
    public boolean hostAllowed(String host) {
        String h = normalizeHost(host);
        for (String allowed : allowedHosts) {
            if (allowed.startsWith("*.") ? h.endsWith(allowed.substring(1)) : h.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code address} may not be reached, or empty when it may. */
    public Optional<String> check(InetAddress address) {
        return check(address.getAddress());
    }

    public Optional<String> check(byte[] address) {
        for (Cidr allowed : allowedRanges) {
            if (allowed.contains(address)) {
                return Optional.empty();
            }
        }
        if (address.length == 16) {
            Optional<byte[]> embedded = embeddedIpv4(address);
            if (embedded.isPresent()) {
                return check(embedded.get()).map(reason -> "an IPv6 address embedding " + text(embedded.get()) + ", " + reason);
            }
        }
        for (Range range : BLOCKED) {
            if (range.cidr().contains(address)) {
                return Optional.of(range.name());
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a hook URL's host as written, without DNS: IP literals against the ranges, the
     * {@code localhost} names as loopback, and numeric shorthand IPv4 forms refused outright.
     * Host names are checked again on every delivery, after resolution.
     */
    public Optional<String> checkLiteralHost(String rawHost) {
        String host = normalizeHost(rawHost);
        if (hostAllowed(host)) {
            return Optional.empty();
        }
        if (host.contains(":")) {
            byte[] bytes;
            try {
                bytes = Cidr.literal(host);
            } catch (IllegalArgumentException e) {
                return Optional.of("'" + rawHost + "' is not a valid IPv6 address");
            }
            return check(bytes).map(reason -> rawHost + " is " + reason);
        }
        Long canonical = NumericHost.canonicalDottedQuad(host);
        if (canonical != null) {
            return check(NumericHost.toBytes(canonical)).map(reason -> host + " is " + reason);
        }
        if (NumericHost.looksNumeric(host)) {
            Long decoded = NumericHost.decode(host);
            if (decoded == null) {
                return Optional.of("'" + host + "' is a numeric host that is not a valid IPv4 address");
            }
            byte[] bytes = NumericHost.toBytes(decoded);
            String meaning = check(bytes).map(reason -> ", which is " + reason).orElse("");
            return Optional.of("'" + host + "' is the IPv4 address " + text(bytes) + " in a shorthand numeric form"
                    + meaning + "; write the address as four decimal numbers (a.b.c.d)");
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return check(new byte[] {127, 0, 0, 1}).map(reason -> host + " is " + reason);
        }
        return Optional.empty();
    }

    /** Lower case, brackets and a trailing dot removed. */
    public static String normalizeHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** The host part of a URL, for callers that only have the URI. */
    public Optional<String> checkLiteralHost(URI uri) {
        String host = hostOf(uri);
        return host == null ? Optional.empty() : checkLiteralHost(host);
    }

    /**
     * The URL's host, also when {@link URI#getHost()} gives up on it: java.net.URI does not accept
     * forms such as {@code 127.1} or {@code 0x7f.0.0.1} as host names, but other clients do, so the
     * guard still reads them from the authority to say what they point at.
     */
    public static String hostOf(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority();
        if (authority == null) {
            return null;
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(0, end + 1);
        }
        int colon = hostPort.indexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    private static Optional<byte[]> embeddedIpv4(byte[] address) {
        if (MAPPED.contains(address) || NAT64.contains(address)) {
            byte[] v4 = new byte[4];
            System.arraycopy(address, 12, v4, 0, 4);
            return Optional.of(v4);
        }
        if (SIX_TO_FOUR.contains(address)) {
            byte[] v4 = new byte[4];
            System.arraycopy(address, 2, v4, 0, 4);
            return Optional.of(v4);
        }
        return Optional.empty();
    }

    private static String text(byte[] v4) {
        return (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff);
    }

    private static Range range(String cidr, String name) {
        return new Range(Cidr.parse(cidr), name);
    }
}
