package dev.shoal.webhook.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressGuardTest {

    private final AddressGuard strict = AddressGuard.strict();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1/|loopback",
            "http://127.255.0.9:8080/x|loopback",
            "http://localhost/|loopback",
            "http://api.localhost/|loopback",
            "http://10.1.2.3/|private range 10.0.0.0/8",
            "http://172.16.0.1/|172.16.0.0/12",
            "http://172.31.255.255/|172.16.0.0/12",
            "http://192.168.1.1/|192.168.0.0/16",
            "http://169.254.169.254/latest/meta-data|metadata",
            "http://169.254.10.1/|link-local",
            "http://100.64.0.1/|carrier-grade NAT",
            "http://100.127.255.254/|carrier-grade NAT",
            "http://224.0.0.1/|multicast",
            "http://0.0.0.0/|0.0.0.0/8",
            "http://0.1.2.3/|0.0.0.0/8",
            "http://255.255.255.255/|broadcast",
            "http://[::1]/|IPv6 loopback",
            "http://[::]/|unspecified",
            "http://[fc00::1]/|unique local",
            "http://[fd12:3456::1]/|unique local",
            "http://[fe80::1]/|link-local",
            "http://[ff02::1]/|multicast",
            "http://[::ffff:127.0.0.1]/|loopback",
            "http://[::ffff:7f00:1]/|loopback",
            "http://[::ffff:169.254.169.254]/|metadata",
            "http://[::ffff:10.0.0.1]/|10.0.0.0/8",
            "http://[64:ff9b::7f00:1]/|embedding 127.0.0.1",
            "http://[64:ff9b::169.254.169.254]/|metadata",
            "http://[2002:7f00:1::]/|embedding 127.0.0.1",
            "http://2130706433/|127.0.0.1 in a shorthand numeric form, which is loopback",
            "http://0177.0.0.1/|127.0.0.1 in a shorthand numeric form",
            "http://0x7f.0.0.1/|127.0.0.1",
            "http://0x7f000001/|127.0.0.1",
            "http://127.1/|127.0.0.1",
            "http://017700000001/|127.0.0.1",
            "http://2852039166/|169.254.169.254",
    })
    void refusesBlockedLiteralHosts(String url, String reasonContains) {
        Optional<String> reason = strict.checkLiteralHost(URI.create(url));
        assertThat(reason).as(url).isPresent();
        assertThat(reason.get()).containsIgnoringCase(reasonContains);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/hook", "https://8.8.8.8/x", "http://[2606:4700::1111]/", "http://172.32.0.1/",
            "http://100.128.0.1/", "http://192.169.0.1/", "http://hooks.example.org:8443/a?b=c"})
    void letsPublicHostsThrough(String url) {
        assertThat(strict.checkLiteralHost(URI.create(url))).as(url).isEmpty();
    }

    @Test
    void refusesShorthandFormsEvenForPublicAddresses() {
        // 134744072 is 8.8.8.8: not dangerous, but ambiguous between parsers, so never accepted.
        assertThat(strict.checkLiteralHost(URI.create("http://134744072/"))).get().asString()
                .contains("8.8.8.8").contains("four decimal numbers");
    }

    @Test
    void checksEveryResolvedAddressForm() throws Exception {
        assertThat(strict.check(InetAddress.getByName("169.254.169.254"))).get().asString().contains("metadata");
        // Java turns an IPv4-mapped literal into an Inet4Address: still loopback.
        assertThat(strict.check(InetAddress.getByName("::ffff:127.0.0.1"))).get().asString().contains("loopback");
        assertThat(strict.check(Cidr.literal("::ffff:127.0.0.1"))).get().asString().contains("embedding 127.0.0.1");
        assertThat(strict.check(Cidr.literal("64:ff9b::7f00:1"))).get().asString().contains("loopback");
        assertThat(strict.check(Cidr.literal("64:ff9b::808:808"))).isEmpty();
        assertThat(strict.check(InetAddress.getByName("93.184.216.34"))).isEmpty();
    }

    @Test
    void allowListLoopbackOpensOnlyLoopback() throws Exception {
        AddressGuard guard = AddressGuard.withAllowList(List.of("loopback"));
        assertThat(guard.check(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(guard.check(InetAddress.getByName("::1"))).isEmpty();
        assertThat(guard.checkLiteralHost(URI.create("http://[::ffff:127.0.0.1]/"))).isEmpty();
        assertThat(guard.checkLiteralHost(URI.create("http://localhost:9000/"))).isEmpty();
        assertThat(guard.check(InetAddress.getByName("169.254.169.254"))).isPresent();
        assertThat(guard.check(InetAddress.getByName("10.0.0.1"))).isPresent();
        // shorthand forms stay refused: the allow-list names addresses, not spellings
        assertThat(guard.checkLiteralHost(URI.create("http://2130706433/"))).isPresent();
    }

    @Test
    void allowListTakesCidrsAndHostNames() throws Exception {
        AddressGuard guard = AddressGuard.withAllowList(List.of(" 10.20.0.0/16 ", "ci.internal", "*.corp.example"));
        assertThat(guard.check(InetAddress.getByName("10.20.3.4"))).isEmpty();
        assertThat(guard.check(InetAddress.getByName("10.21.3.4"))).isPresent();
        assertThat(guard.hostAllowed("CI.internal.")).isTrue();
        assertThat(guard.hostAllowed("build.corp.example")).isTrue();
        assertThat(guard.hostAllowed("corp.example.evil.com")).isFalse();
        assertThat(guard.checkLiteralHost(URI.create("http://ci.internal/"))).isEmpty();
    }

    @Test
    void withoutAllowListMetadataAndMappedLoopbackAreRefused() {
        assertThat(strict.checkLiteralHost("169.254.169.254")).isPresent();
        assertThat(strict.checkLiteralHost("[::ffff:127.0.0.1]")).isPresent();
    }
}
