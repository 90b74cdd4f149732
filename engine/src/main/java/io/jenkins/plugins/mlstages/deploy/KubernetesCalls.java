package io.jenkins.plugins.mlstages.deploy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.mlstages.registry.RetryPolicy;
import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.report.ServerAnswer;

/**
 * The Kubernetes API calls of one router through the fabric8 client: a few quick retries through the router's
 * {@link Sleeper} while the server is unreachable or answers 5xx or 429 (so a Jenkins abort interrupts them), and
 * one-line failures naming the operation, the method and URL, the status and the {@code Status} reason and message
 * of the answer — never a token, never a body that is not a Kubernetes {@code Status}.
 */
final class KubernetesCalls {
    /** What a request failed with, for the router to add its own hint (401, 403, 404). */
    interface Hints {
        String hint(int code);
    }

    private final KubernetesCluster cluster;
    private final RetryPolicy retries;
    private final Sleeper sleeper;
    private final Hints hints;

    KubernetesCalls(KubernetesCluster cluster, RetryPolicy retries, Sleeper sleeper, Hints hints) {
        this.cluster = cluster;
        this.retries = retries;
        this.sleeper = sleeper;
        this.hints = hints;
    }

    /**
     * Runs {@code call} on a fresh client, retrying what may pass.
     *
     * @param operation for messages, e.g. {@code read InferenceService of models/iris}
     * @param method and {@code path} for messages: the request the call makes
     * @throws DeployException with one line when it failed
     * @throws InterruptedException when a wait was interrupted, or the call was (a Jenkins abort)
     */
    <T> T call(String operation, String method, String path, Function<KubernetesClient, T> call) throws InterruptedException {
        Instant deadline = Instant.now().plus(retries.getMaxTotalWait());
        for (int attempt = 1; ; attempt++) {
            String failure;
            boolean answered;
            KubernetesClientException cause;
            IOException network;
            try (KubernetesClient client = cluster.client()) {
                return call.apply(client);
            } catch (KubernetesClientException e) {
                if (Thread.interrupted() || causedBy(e, InterruptedException.class) != null) {
                    InterruptedException interrupted = new InterruptedException(operation + " was interrupted");
                    interrupted.initCause(e);
                    throw interrupted;
                }
                IdentityRefusedException refused = causedBy(e, IdentityRefusedException.class);
                if (refused != null) {
                    // e.g. the exec plugin, run again for a 401, hung or failed: its own line, no retry
                    throw new IdentityRefusedException(refused.getMessage());
                }
                if (causedBy(e, JsonProcessingException.class) != null) {
                    // what came, never what it said: the URL may point at another endpoint
                    throw new DeployException("kubernetes API " + operation + " failed: " + method + " " + url(path)
                            + " answered " + (e.getCode() > 0 ? "HTTP " + e.getCode() + " with " : "") + "what is not a Kubernetes object");
                }
                cause = e;
                network = causedBy(e, IOException.class);
                answered = e.getCode() > 0;
                failure = answered ? answer(e) : "no answer from " + url(path) + " (" + why(e) + ")";
                if (answered && (e.getCode() == 401 || e.getCode() == 403)) {
                    // a refused credential will not clear: no retry here, nor by the run (IdentityRefusedException)
                    throw new IdentityRefusedException(message(operation, method, path, e));
                }
                if (answered && e.getCode() < 500 && e.getCode() != 429) {
                    throw new DeployException(message(operation, method, path, e), null);
                }
            }
            Duration wait = retries.backoff(attempt, ThreadLocalRandom.current().nextDouble());
            if (attempt >= retries.getMaxAttempts() || Instant.now().plus(wait).isAfter(deadline)) {
                throw new DeployException(answered ? message(operation, method, path, cause)
                        : "kubernetes API " + operation + " failed: " + failure + (attempt > 1 ? " after " + attempt + " attempts" : ""),
                        answered ? null : network);
            }
            sleeper.sleep(wait);
        }
    }

    /** {@code kubernetes API read … failed: GET url answered HTTP 403: Forbidden: … (hint)}. */
    private String message(String operation, String method, String path, KubernetesClientException e) {
        return "kubernetes API " + operation + " failed: " + method + " " + url(path) + " answered " + answer(e)
                + hints.hint(e.getCode());
    }

    /** A call that found nothing (fabric8's {@code get()} gives null for 404). */
    DeployException notFound(String operation, String path) {
        return new DeployException("kubernetes API " + operation + " failed: GET " + url(path) + " answered HTTP 404: NotFound"
                + hints.hint(404));
    }

    /**
     * {@code HTTP 401: Unauthorized: message}: the error only when the body was a Kubernetes {@code Status} error
     * ({@code status: Failure}); fabric8 reads any JSON object as a Status, and makes one up for any other body.
     */
    private static String answer(KubernetesClientException e) {
        Status status = e.getStatus();
        String error = "";
        if (status != null && "Failure".equals(status.getStatus())) {
            error = ServerAnswer.kubernetesStatus(status.getReason(), status.getMessage(), Secrets.none()).toString();
        }
        return "HTTP " + e.getCode() + (error.isEmpty() ? "" : ": " + error);
    }

    String url(String path) {
        String server = cluster.server();
        return (server.endsWith("/") ? server.substring(0, server.length() - 1) : server) + path;
    }

    private static String why(Throwable e) {
        if (causedBy(e, SSLException.class) != null) {
            return "TLS failed: " + causedBy(e, SSLException.class).getMessage();
        }
        if (causedBy(e, ConnectException.class) != null) {
            return "connection refused";
        }
        if (causedBy(e, UnknownHostException.class) != null) {
            return "unknown host " + causedBy(e, UnknownHostException.class).getMessage();
        }
        if (causedBy(e, HttpTimeoutException.class) != null || causedBy(e, HttpConnectTimeoutException.class) != null
                || causedBy(e, InterruptedIOException.class) != null || causedBy(e, java.util.concurrent.TimeoutException.class) != null) {
            return "timed out";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    private static <E extends Throwable> E causedBy(Throwable e, Class<E> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    KubernetesCluster cluster() {
        return cluster;
    }
}
