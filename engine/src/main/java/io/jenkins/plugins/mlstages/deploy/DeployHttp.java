package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.report.ServerAnswer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The wire shared by the HTTP adapters of canaryDeploy (webhook router, Kubernetes API, Prometheus):
 * timeouts, a bearer token, and a few quick retries when the server is unreachable or answers 5xx or
 * 429, since a canary step must not wait minutes on a broken router. Messages name the URL without
 * its query or user info, never the token. An answer comes back with its body, for parsing only, and
 * with what may be said of it ({@link ServerAnswer}: status, content type, size, a structured error):
 * a router or Prometheus URL may point at an internal endpoint whose text must never be shown.
 */
final class DeployHttp implements AutoCloseable {
    /** A few tries within ten seconds. */
    static final RetryPolicy RETRIES = new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(2),
            Duration.ofMillis(250), Duration.ofSeconds(10));

    /**
     * A final answer (a 2xx, a 4xx, or the last 5xx once retries are spent): its status, its body with the
     * token redacted, to be parsed and never shown, and what messages may say of it.
     */
    record Answer(int code, String body, ServerAnswer described) {
        boolean successful() {
            return code >= 200 && code < 300;
        }
    }

    private final String system;
    private final Supplier<Optional<String>> bearerToken;
    private final OkHttpClient client;
    private final RetryPolicy retries;
    private final Sleeper sleeper;

    /**
     * @param system what is called, for messages, e.g. {@code prometheus}
     * @param tls a trust setting for a private CA, or empty for the JVM's trust store
     */
    DeployHttp(String system, Optional<String> bearerToken, Duration timeout, Optional<Tls> tls, RetryPolicy retries,
            Sleeper sleeper) {
        this(system, () -> bearerToken, timeout, tls, retries, sleeper);
    }

    /** With a token read again for each request, e.g. from a service account's token file, which the kubelet rotates. */
    DeployHttp(String system, Supplier<Optional<String>> bearerToken, Duration timeout, Optional<Tls> tls,
            RetryPolicy retries, Sleeper sleeper) {
        this.system = system;
        this.bearerToken = bearerToken;
        this.retries = retries;
        this.sleeper = sleeper;
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(system + " timeout must be positive, was " + timeout);
        }
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // retries are ours, counted and bounded
                .retryOnConnectionFailure(false)
                .followRedirects(false);
        builder.addInterceptor(chain -> {
            Request.Builder request = chain.request().newBuilder().header("User-Agent", "ml-stages");
            bearerToken.get().filter(t -> !t.isBlank())
                    .ifPresent(token -> request.header("Authorization", "Bearer " + token.strip()));
            return chain.proceed(request.build());
        });
        tls.ifPresent(t -> builder.sslSocketFactory(t.context().getSocketFactory(), t.trustManager()));
        this.client = builder.build();
    }

    DeployHttp(String system, Optional<String> bearerToken, Duration timeout) {
        this(system, bearerToken, timeout, Optional.empty(), RETRIES, Sleeper.SYSTEM);
    }

    /** Trust for a server whose certificate a private CA signed. */
    record Tls(SSLContext context, X509TrustManager trustManager) {
    }

    /**
     * Sends {@code request}, trying again while the server is unreachable or answers 5xx/429.
     *
     * @param operation what the request does, for messages, e.g. {@code set canary weight}
     * @return the final answer, successful or not
     * @throws DeployException when no answer came at all
     * @throws InterruptedException when the wait before another try was interrupted (a Jenkins abort)
     */
    Answer send(String operation, Request request) throws InterruptedException {
        // the token this request carries (a token file may have been rotated since the last one)
        Secrets secrets = Secrets.remember(Secrets.bearer(bearerToken.get().map(String::strip).orElse(null)));
        Instant deadline = Instant.now().plus(retries.getMaxTotalWait());
        for (int attempt = 1; ; attempt++) {
            Answer answer = null;
            String failure = null;
            IOException cause = null;
            try (Response response = client.newCall(request).execute()) {
                byte[] bytes = response.body() == null ? new byte[0] : response.body().bytes();
                answer = new Answer(response.code(), secrets.redact(new String(bytes, StandardCharsets.UTF_8)),
                        ServerAnswer.of(response.code(), response.header("Content-Type"), bytes, secrets));
                if (!retryable(response.code())) {
                    return answer;
                }
            } catch (IOException e) {
                // not a ProtocolException: its message quotes the answer
                cause = e instanceof ProtocolException ? null : e;
                failure = why(e);
            }
            Duration wait = retries.backoff(attempt, ThreadLocalRandom.current().nextDouble());
            if (attempt >= retries.getMaxAttempts() || Instant.now().plus(wait).isAfter(deadline)) {
                if (answer != null) {
                    return answer;
                }
                throw new DeployException(system + " " + operation + " failed: no answer from " + safe(request.url())
                        + " (" + failure + ")" + (attempt > 1 ? " after " + attempt + " attempts" : ""), cause);
            }
            sleeper.sleep(wait);
        }
    }

    /** {@link #send}, for callers that cannot throw {@link InterruptedException}: the interrupt is kept and reported. */
    Answer sendOrFail(String operation, Request request) {
        try {
            return send(operation, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException(system + " " + operation + " was interrupted", e);
        }
    }

    private static boolean retryable(int code) {
        return code >= 500 || code == 429;
    }

    private static String why(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof InterruptedIOException) {
            return "timed out";
        }
        if (e instanceof ProtocolException) {
            // its message quotes what came instead of HTTP
            return "the answer is not HTTP";
        }
        if (e instanceof SSLException) {
            return "TLS failed: " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A URL fit for a message: scheme, host, port and path; no user info, no query. */
    static String safe(HttpUrl url) {
        return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
    }

    String system() {
        return system;
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
