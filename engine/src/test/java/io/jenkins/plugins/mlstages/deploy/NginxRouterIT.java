package io.jenkins.plugins.mlstages.deploy;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@link NginxRouter} driving a real nginx (/usr/sbin/nginx, one worker, in a private prefix, as the
 * current user, {@code daemon off}) that proxies to two tiny backends answering "stable" and "canary".
 * With one worker, nginx's smooth weighted round robin serves exactly {@code w_canary} of every
 * {@code w_stable + w_canary} requests to the canary, so 1000 requests give exact counts: the oracle
 * is the requested percentage itself, times 10.
 */
public class NginxRouterIT {
    private static final String NGINX = System.getProperty("mlstages.nginx", "/usr/sbin/nginx");
    private static final int REQUESTS = 1000;

    private static Path prefix;
    private static Path mainConfig;
    private static Path routerFile;
    private static Backend stable;
    private static Backend canary;
    private static Process nginx;
    private static int port;
    private static NginxRouterConfig config;

    @BeforeClass
    public static void startNginx() throws Exception {
        if (!Files.isExecutable(Path.of(NGINX))) {
            fail("nginx is needed for this test and was not found at " + NGINX
                    + " (Debian: apt-get install nginx-light, or set -Dmlstages.nginx=PATH)");
        }
        stable = new Backend("stable");
        canary = new Backend("canary");
        prefix = Files.createTempDirectory("mlstages-nginx-");
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
        routerFile = prefix.resolve("model-upstream.conf");
        mainConfig = prefix.resolve("nginx.conf");
        port = freePort();
        String temp = prefix.resolve("temp").toString();
        Files.writeString(mainConfig, String.join("\n",
                "worker_processes 1;",
                "daemon off;",
                "pid " + prefix.resolve("nginx.pid") + ";",
                "error_log " + prefix.resolve("logs/error.log") + " notice;",
                "events { worker_connections 256; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + temp + "/body;",
                "  proxy_temp_path " + temp + "/proxy;",
                "  fastcgi_temp_path " + temp + "/fastcgi;",
                "  uwsgi_temp_path " + temp + "/uwsgi;",
                "  scgi_temp_path " + temp + "/scgi;",
                "  include " + routerFile + ";",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    location / { proxy_pass http://model; }",
                "  }",
                "}", ""));
        config = NginxRouterConfig.of(routerFile, "model", stable.address(), canary.address())
                .withNginx(NGINX, prefix, mainConfig);
        // nginx needs the included file to start: all traffic on the stable version
        Files.writeString(routerFile, new NginxRouter(config).render(0));
        nginx = new ProcessBuilder(NGINX, "-p", prefix.toString(), "-c", mainConfig.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            if (!nginx.isAlive()) {
                fail("nginx exited with " + nginx.exitValue() + ": " + Files.readString(prefix.resolve("logs/error.log")));
            }
            try {
                get();
                break;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    fail("nginx did not answer on port " + port + " within 20 s");
                }
                Thread.sleep(100);
            }
        }
    }

    @AfterClass
    public static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.descendants().forEach(ProcessHandle::destroyForcibly);
            nginx.destroyForcibly();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
        if (stable != null) {
            stable.close();
        }
        if (canary != null) {
            canary.close();
        }
    }

    @Before
    public void backToStable() throws Exception {
        applyAndWait(new NginxRouter(config), 0);
    }

    @Test
    public void splitsTrafficAsRequested() throws Exception {
        NginxRouter router = new NginxRouter(config);
        for (int percent : new int[] {0, 10, 50, 100, 25, 0}) {
            applyAndWait(router, percent);
            assertEquals(percent, router.canaryWeight());
            assertEquals("canary answers at " + percent + " %", percent * REQUESTS / 100, countCanary(REQUESTS));
        }
    }

    @Test
    public void aConfigNginxRejectsLeavesTheOldFileAndTraffic() throws Exception {
        NginxRouter router = new NginxRouter(config);
        applyAndWait(router, 10);
        byte[] before = Files.readAllBytes(routerFile);
        // passes our own syntax check, but nginx refuses the port
        NginxRouterConfig broken = new NginxRouterConfig(routerFile, "model", stable.address(), "127.0.0.1:99999",
                config.testCommand(), config.reloadCommand(), Duration.ofSeconds(30));
        Set<Long> workers = workers();
        try {
            new NginxRouter(broken).setCanaryWeight(50);
            fail("nginx -t should have rejected the port");
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("invalid port"));
            assertTrue(e.getMessage(), e.getMessage().contains("previous " + routerFile + " is back in place"));
        }
        assertArrayEquals(before, Files.readAllBytes(routerFile));
        assertEquals(10, router.canaryWeight());
        assertEquals("no reload happened", workers, workers());
        assertEquals(100, countCanary(REQUESTS));
    }

    @Test
    public void aFailedReloadRaisesAndRestoresTheFile() throws Exception {
        NginxRouter router = new NginxRouter(config);
        applyAndWait(router, 50);
        byte[] before = Files.readAllBytes(routerFile);
        // the same configuration, but its pid file names no running nginx: the reload signal has nowhere to go
        Path elsewhere = prefix.resolve("elsewhere.conf");
        Files.writeString(elsewhere, Files.readString(mainConfig)
                .replace(prefix.resolve("nginx.pid").toString(), prefix.resolve("missing.pid").toString()));
        NginxRouterConfig wrongPid = NginxRouterConfig.of(routerFile, "model", stable.address(), canary.address())
                .withNginx(NGINX, prefix, elsewhere);
        try {
            new NginxRouter(wrongPid).setCanaryWeight(100);
            fail("the reload should have failed");
        } catch (DeployException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("nginx reload failed at canary 100 %"));
            assertTrue(e.getMessage(), e.getMessage().contains("missing.pid"));
        }
        assertArrayEquals(before, Files.readAllBytes(routerFile));
        assertEquals(50, router.canaryWeight());
        assertEquals(500, countCanary(REQUESTS));
    }

    /** Applies a split and waits until nginx's old worker has handed over to one with the new configuration. */
    private static void applyAndWait(NginxRouter router, int percent) throws Exception {
        Set<Long> before = workers();
        router.setCanaryWeight(percent);
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            Set<Long> now = workers();
            if (!now.isEmpty() && now.stream().noneMatch(before::contains)) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                fail("nginx did not replace its workers within 20 s after the reload: " + before + " -> " + now);
            }
            Thread.sleep(20);
        }
    }

    private static Set<Long> workers() {
        return nginx.children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static int countCanary(int requests) throws IOException {
        TreeMap<String, Integer> answers = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            answers.merge(get(), 1, Integer::sum);
        }
        assertTrue("only the two backends answer: " + answers, Set.of("stable", "canary").containsAll(answers.keySet()));
        return answers.getOrDefault("canary", 0);
    }

    /** One request through nginx on a fresh connection, so no old worker keeps serving it. */
    private static String get() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/predict").toURL()
                .openConnection();
        connection.setRequestProperty("Connection", "close");
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        try (InputStream in = connection.getInputStream()) {
            if (connection.getResponseCode() != 200) {
                throw new IOException("nginx answered " + connection.getResponseCode());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
