package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KafkaProcessTest {

    @Test
    void aBrokerAnsweringApiVersionsIsReady() throws Exception {
        try (ServerSocket broker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> answerOnce(broker));

            assertThat(KafkaProcess.answersApiVersions(broker.getLocalPort())).isTrue();
            // size 10; API key 18 (ApiVersions), version 0, correlation id 1, null client id
            assertThat(received.get(5, TimeUnit.SECONDS))
                    .containsExactly(0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, -1, -1);
        }
    }

    @Test
    void aClosedPortOrASilentListenerIsNotReady() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThat(KafkaProcess.answersApiVersions(port)).isFalse();

        // a broker still starting has bound its port but handles no request yet
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(KafkaProcess.answersApiVersions(silent.getLocalPort())).isFalse();
        }
    }

    /** Reads one request and answers as a broker does: size, the request's correlation id, error code 0. */
    private static byte[] answerOnce(ServerSocket broker) {
        try (Socket client = broker.accept()) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            byte[] request = in.readNBytes(14);
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            out.writeInt(6);
            out.writeInt(1);
            out.writeShort(0);
            out.flush();
            return request;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
