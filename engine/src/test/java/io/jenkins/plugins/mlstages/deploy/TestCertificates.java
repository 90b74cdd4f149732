package io.jenkins.plugins.mlstages.deploy;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A server certificate for 127.0.0.1 and a client certificate, made with the JDK's keytool, as PEM text for a
 * kubeconfig and as an SSL context for a test server that requires the client certificate (mutual TLS).
 */
final class TestCertificates {
    final String serverCertificatePem;
    final String clientCertificatePem;
    final String clientKeyPem;
    final SSLContext serverContext;

    private TestCertificates(Path dir) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path server = dir.resolve("server.p12");
        Path client = dir.resolve("client.p12");
        run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", server.toString(), "-storepass", "changeit", "-keypass", "changeit"));
        run(List.of(keytool, "-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=ml-stages-deployer,O=system:masters", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", client.toString(), "-storepass", "changeit", "-keypass", "changeit"));
        KeyStore serverKeys = load(server);
        KeyStore clientKeys = load(client);
        serverCertificatePem = pem("CERTIFICATE", serverKeys.getCertificate("server").getEncoded());
        clientCertificatePem = pem("CERTIFICATE", clientKeys.getCertificate("client").getEncoded());
        clientKeyPem = pem("PRIVATE KEY", ((PrivateKey) clientKeys.getKey("client", "changeit".toCharArray())).getEncoded());

        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(serverKeys, "changeit".toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("client", clientKeys.getCertificate("client"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    }

    private static TestCertificates shared;

    static TestCertificates make(Path dir) throws Exception {
        return new TestCertificates(dir);
    }

    /** One set for the whole test JVM: keytool's RSA keys take seconds on a loaded machine. */
    static synchronized TestCertificates shared() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("ml-stages-pki");
            dir.toFile().deleteOnExit();
            shared = new TestCertificates(dir);
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
        }
        return shared;
    }

    static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        return keys;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("keytool", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
