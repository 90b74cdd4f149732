package io.jenkins.plugins.mlstages.spark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.jenkins.plugins.mlstages.table.TableSourceException;

public class SparkRemoteTest {

    @Test
    public void hostPortAndParametersAreKeptTheTokenIsNeverShown() throws Exception {
        SparkRemote remote = SparkRemote.parse("sc://dbc.example:443/;x-databricks-cluster-id=0123;token=dapi-secret-1;use_ssl=true");
        assertEquals("dbc.example", remote.host());
        assertEquals(443, remote.port());
        assertEquals(List.of("x-databricks-cluster-id=0123", "use_ssl=true"), remote.parameters());
        assertEquals("sc://dbc.example:443/;x-databricks-cluster-id=0123;use_ssl=true", remote.shown());
        assertFalse(remote.shown().contains("dapi"));
        // the token from the secrets wins over the one in the text, and only the client's URL carries it
        assertTrue(remote.withToken("dapi-from-credential").endsWith(";token=dapi-from-credential"));
        assertTrue(remote.withToken(null).endsWith(";token=dapi-secret-1"));
    }

    @Test
    public void theDefaultPortIsSparks() throws Exception {
        SparkRemote remote = SparkRemote.parse("sc://localhost");
        assertEquals(15002, remote.port());
        assertEquals("sc://localhost:15002", remote.withToken(null));
        assertEquals("sc://localhost:15002/;token=t0ken-value", remote.withToken("t0ken-value"));
    }

    @Test
    public void notAConnectUrlIsOneLineWithoutTheToken() {
        TableSourceException e = assertThrows(TableSourceException.class,
                () -> SparkRemote.parse("sc://host:99999/;token=dapi-secret-2"));
        assertFalse(e.isInfrastructure());
        assertEquals("--spark-remote: port 99999 is outside 1..65535", e.getMessage());
        e = assertThrows(TableSourceException.class, () -> SparkRemote.parse("sc:/host;token=dapi-secret-3"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("--spark-remote: not a Spark Connect URL"));
        assertFalse(e.getMessage(), e.getMessage().contains("dapi-secret-3"));
    }

    @Test
    public void nothingListeningIsInfrastructureInOneLine() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        int free = port;
        TableSourceException e = assertThrows(TableSourceException.class,
                () -> new SparkConnectEngineProvider().open("sc://127.0.0.1:" + free, java.util.Map.of()));
        assertTrue(e.isInfrastructure());
        assertTrue(e.getMessage(), e.getMessage().startsWith("cannot reach Spark Connect at sc://127.0.0.1:" + free + ": "));
        assertFalse(e.getMessage(), e.getMessage().contains("\n"));
    }
}
