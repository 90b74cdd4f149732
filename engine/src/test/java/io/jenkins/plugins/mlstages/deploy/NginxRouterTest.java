package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link NginxRouter}'s file and its handling of the commands, with stand-in commands (the real nginx is in NginxRouterIT). */
public class NginxRouterTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private NginxRouter router(Path file, List<String> test, List<String> reload, Duration timeout) {
        return new NginxRouter(new NginxRouterConfig(file, "model", "10.0.0.1:8001", "unix:/run/canary.sock",
                test, reload, timeout));
    }

    private NginxRouter router(Path file, List<String> test, List<String> reload) {
        return router(file, test, reload, Duration.ofSeconds(10));
    }

    private static final List<String> OK = List.of("true");

    @Test
    public void theDescriptionNamesTheFileByItsAbsoluteNormalizedPath() throws Exception {
        Path absolute = temp.getRoot().toPath().resolve("upstream.conf");
        Path relative = Path.of("").toAbsolutePath().relativize(temp.getRoot().toPath()).resolve("sub/../upstream.conf");
        assertFalse(relative.isAbsolute());
        assertEquals("nginx upstream 'model' in " + absolute, router(absolute, OK, OK).describe());
        assertEquals(router(absolute, OK, OK).describe(), router(relative, OK, OK).describe());
    }

    @Test
    public void everyPercentReadsBackAsWritten() throws Exception {
        Path file = temp.getRoot().toPath().resolve("upstream.conf");
        NginxRouter router = router(file, OK, OK);
        for (int percent = 0; percent <= 100; percent++) {
            router.setCanaryWeight(percent);
            assertEquals(percent, router.canaryWeight());
        }
    }

    @Test
    public void weightsAreTheSmallestIntegersAndNoShareMeansDown() throws Exception {
        Path file = temp.getRoot().toPath().resolve("upstream.conf");
        NginxRouter router = router(file, OK, OK);
        router.setCanaryWeight(10);
        String ten = Files.readString(file);
        assertTrue(ten, ten.contains("upstream model {\n    server 10.0.0.1:8001 weight=9;\n    server unix:/run/canary.sock weight=1;\n}\n"));
        router.setCanaryWeight(0);
        String zero = Files.readString(file);
        assertTrue(zero, zero.contains("server 10.0.0.1:8001 weight=1;\n    server unix:/run/canary.sock down;"));
        router.setCanaryWeight(100);
        assertTrue(Files.readString(file).contains("server 10.0.0.1:8001 down;\n    server unix:/run/canary.sock weight=1;"));
        router.setCanaryWeight(33);
        assertTrue(Files.readString(file).contains("weight=67;\n    server unix:/run/canary.sock weight=33;"));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    public void readsAFileWrittenByHand() throws Exception {
        Path file = temp.getRoot().toPath().resolve("upstream.conf");
        Files.writeString(file, "upstream other { server 10.0.0.9; }\n"
                + "upstream model {\n  server 10.0.0.1:8001 max_fails=3 weight=3;\n  server unix:/run/canary.sock;  # default weight 1\n}\n");
        assertEquals(25, router(file, OK, OK).canaryWeight());
    }

    @Test
    public void aFailedTestPutsThePreviousFileBack() throws Exception {
        Path file = temp.getRoot().toPath().resolve("upstream.conf");
        router(file, OK, OK).setCanaryWeight(10);
        String before = Files.readString(file);
        List<String> rejecting = List.of("sh", "-c", "echo 'nginx: [emerg] host not found in upstream' >&2; exit 1");
        Path reloaded = temp.getRoot().toPath().resolve("reloaded");
        try {
            router(file, rejecting, List.of("touch", reloaded.toString())).setCanaryWeight(50);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nginx: [emerg] host not found in upstream"));
            assertTrue(e.getMessage(), e.getMessage().startsWith("nginx rejected upstream 'model' at canary 50 %"));
        }
        assertEquals(before, Files.readString(file));
        assertFalse("no reload after a failed test", Files.exists(reloaded));
        try (var files = Files.list(temp.getRoot().toPath())) {
            assertEquals("no temporary file left", 1, files.count());
        }
    }

    @Test
    public void aFailedFirstWriteLeavesNoFile() {
        Path file = temp.getRoot().toPath().resolve("upstream.conf");
        try {
            router(file, List.of("false"), OK).setCanaryWeight(50);
            fail();
        } catch (DeployException expected) {
            assertFalse(Files.exists(file));
        }
        try {
            router(file, OK, OK).canaryWeight();
            fail();
        } catch (DeployException e) {
            assertEquals("nginx router file " + file + " does not exist: no split was applied yet", e.getMessage());
        }
    }

    @Test
    public void aFailedReloadPutsThePreviousFileBack() throws Exception {
        Path file = temp.getRoot().toPath().resolve("upstream.conf");
        router(file, OK, OK).setCanaryWeight(10);
        try {
            router(file, OK, List.of("sh", "-c", "echo 'open() \"/run/nginx.pid\" failed'; exit 1")).setCanaryWeight(50);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("/run/nginx.pid"));
        }
        assertEquals(10, router(file, OK, OK).canaryWeight());
    }

    @Test
    public void aHangingCommandIsStoppedAtTheTimeout() throws Exception {
        Path file = temp.getRoot().toPath().resolve("upstream.conf");
        long start = System.nanoTime();
        try {
            router(file, List.of("sleep", "30"), OK, Duration.ofMillis(300)).setCanaryWeight(50);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("did not finish within"));
        }
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
        assertFalse(Files.exists(file));
    }

    @Test
    public void aMissingCommandIsAnInfrastructureError() {
        Path file = temp.getRoot().toPath().resolve("upstream.conf");
        try {
            router(file, List.of("/nonexistent/nginx", "-t"), OK).setCanaryWeight(50);
            fail();
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("nginx config test failed: cannot run /nonexistent/nginx"));
        }
    }

    @Test
    public void refusesWhatNginxCouldNotParse() {
        Path file = temp.getRoot().toPath().resolve("upstream.conf");
        for (String server : new String[] {"a b", "x;y", "", "{x}"}) {
            try {
                NginxRouterConfig.of(file, "model", "127.0.0.1:1", server);
                fail(server);
            } catch (IllegalArgumentException expected) {
                // refused
            }
        }
        try {
            router(file, OK, OK).setCanaryWeight(101);
            fail();
        } catch (IllegalArgumentException expected) {
            assertFalse(Files.exists(file));
        }
    }
}
