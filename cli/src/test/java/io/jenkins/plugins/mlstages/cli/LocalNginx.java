package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (/usr/sbin/nginx, one worker, {@code daemon off}) in a private prefix, proxying
 * 127.0.0.1:{@link #port} to the upstream {@code model} defined in {@link #upstreamFile}, the file the
 * canary's router owns. {@link #testCommand()} and {@link #reloadCommand()} are what
 * {@code mlstages canary --nginx-test-command/--nginx-reload-command} need to reach this nginx.
 */
final class LocalNginx implements AutoCloseable {
    static final String BINARY = System.getProperty("mlstages.nginx", "/usr/sbin/nginx");

    final Path prefix;
    final Path mainConfig;
    final Path upstreamFile;
    final int port;
    private final Process process;

    LocalNginx(String stableServer) throws IOException, InterruptedException {
        this(stableServer, null);
    }

    /**
     * @param serverInclude a file included inside the {@code server} block (the shadow mirror's file);
     *        created empty when absent; null for none
     */
    LocalNginx(String stableServer, Path serverInclude) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            fail("nginx is needed for this test and was not found at " + BINARY
                    + " (Debian: apt-get install nginx-light, or set -Dmlstages.nginx=PATH)");
        }
        prefix = Files.createTempDirectory("mlstages-nginx-");
        Files.createDirectories(prefix.resolve("logs"));
        Path temp = Files.createDirectories(prefix.resolve("temp"));
        upstreamFile = prefix.resolve("model-upstream.conf");
        mainConfig = prefix.resolve("nginx.conf");
        port = LocalPrometheus.freePort();
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
                "  include " + upstreamFile + ";",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                serverInclude == null ? "" : "    include " + serverInclude + ";",
                "    location / { proxy_pass http://model; }",
                "  }",
                "}", ""));
        if (serverInclude != null && !Files.exists(serverInclude)) {
            Files.writeString(serverInclude, "# no shadow mirror yet\n");
        }
        // What the operator has before any canary: all traffic on the stable version.
        Files.writeString(upstreamFile, "upstream model {\n    server " + stableServer + ";\n}\n");
        process = new ProcessBuilder(BINARY, "-p", prefix.toString(), "-c", mainConfig.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        LocalPrometheus.waitFor("nginx on port " + port + " (log: " + prefix.resolve("logs/error.log") + ")",
                Duration.ofSeconds(20), () -> {
                    if (!process.isAlive()) {
                        fail("nginx exited with " + process.exitValue() + "; see " + prefix.resolve("logs/error.log"));
                    }
                    try {
                        request();
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    String testCommand() {
        return BINARY + " -t -q -p " + prefix + " -c " + mainConfig;
    }

    String reloadCommand() {
        return BINARY + " -p " + prefix + " -c " + mainConfig + " -s reload";
    }

    /** One request through nginx on a fresh connection (so no old worker keeps serving it); the answer's status and body. */
    String request() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/invocations").toURL()
                .openConnection();
        connection.setRequestProperty("Connection", "close");
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        try {
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                return status + " " + (in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            connection.disconnect();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
