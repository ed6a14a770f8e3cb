package dev.tally.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.testing.ClickHouseCluster;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** A cluster whose ports were taken between being found free and being bound still starts, as itself. */
class LocalClusterTest {

    @Test
    void aPortTakenByAnotherProcessIsReplacedByAFreshOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Deque<Integer> handedOut = new ArrayDeque<>();
            handedOut.add(taken.getLocalPort());
            LocalCluster.PortSource ports = () -> handedOut.isEmpty() ? freePort() : handedOut.poll();
            try (LocalCluster cluster = LocalCluster.start(Files.createTempDirectory("tally-local-cluster"), 1, ports)) {
                assertThat(cluster.endpoints()).extracting(URI::getPort).doesNotContain(taken.getLocalPort());
                assertThat(answer(cluster.endpoints().get(0), "SELECT 41 + 1")).isEqualTo("42");
            }
        }
    }

    @Test
    void anotherServerAnsweringOnTheHttpPortIsNotTakenForThisOne() throws Exception {
        URI other = ClickHouseCluster.shared().endpoints().get(0);
        Deque<Integer> handedOut = new ArrayDeque<>();
        handedOut.add(other.getPort());
        LocalCluster.PortSource ports = () -> handedOut.isEmpty() ? freePort() : handedOut.poll();
        try (LocalCluster cluster = LocalCluster.start(Files.createTempDirectory("tally-local-cluster"), 1, ports)) {
            assertThat(cluster.endpoints()).doesNotContain(other);
            String instance = "SELECT substitution FROM system.macros WHERE macro = 'instance'";
            assertThat(answer(cluster.endpoints().get(0), instance)).isNotEqualTo(answer(other, instance));
        }
    }

    @Test
    void aStartThatKeepsFailingSaysWhy() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalCluster.PortSource ports = taken::getLocalPort;
            assertThatThrownBy(() -> LocalCluster.start(Files.createTempDirectory("tally-local-cluster"), 1, ports))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("clickhouse-server");
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String answer(URI endpoint, String query) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().strip();
    }
}
