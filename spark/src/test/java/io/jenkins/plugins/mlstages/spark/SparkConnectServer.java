package io.jenkins.plugins.mlstages.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.rules.ExternalResource;

import io.jenkins.plugins.mlstages.testing.SetupScript;

/**
 * A local Spark Connect server for the tests: the Spark inside the pinned pyspark of {@code target/spark-venv}
 * (tools/spark-venv.sh makes it once), bound to loopback on a free port, its warehouse and log under
 * {@code target/spark-connect}; started once by the test class's rule, stopped after.
 */
public final class SparkConnectServer extends ExternalResource {
    private final Path root = Path.of(System.getProperty("mlstages.root", "..")).toAbsolutePath().normalize();
    private final Path work = root.resolve("spark/target/spark-connect");
    private Process process;
    private int port;

    public String url() {
        return "sc://127.0.0.1:" + port;
    }

    public Path work() {
        return work;
    }

    public Path root() {
        return root;
    }

    @Override
    protected void before() throws Throwable {
        Path venv = root.resolve("target/spark-venv");
        SetupScript.run(root, "spark-venv.sh", venv, 20, "Python 3 and PyPI (pyspark)");
        Path sparkHome;
        try (Stream<Path> lib = Files.list(venv.resolve("lib"))) {
            sparkHome = lib.map(p -> p.resolve("site-packages/pyspark")).filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no pyspark in " + venv));
        }
        Files.createDirectories(work);
        port = freePort();
        Path log = work.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(sparkHome.resolve("bin/spark-submit").toString(),
                "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
                "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
                "--conf", "spark.connect.grpc.binding.port=" + port,
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.sql.warehouse.dir=" + work.resolve("warehouse"),
                "--conf", "spark.sql.shuffle.partitions=4",
                "--driver-memory", "2g",
                "spark-internal"))
                .directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String tail = Files.readString(log, StandardCharsets.UTF_8);
                after();
                throw new IllegalStateException("the Spark Connect server did not start on port " + port + ": "
                        + tail.substring(Math.max(0, tail.length() - 3000)));
            }
            Thread.sleep(500);
        }
    }

    @Override
    protected void after() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
