package io.jenkins.plugins.mlstages.deploy.behaviour;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A model version served with the MLflow scoring protocol ({@code mlflow models serve}, MLflow's
 * containers, KServe's MLflow runtime through its own URL): {@code POST BASE/invocations} with
 * {@code {"dataframe_records": [ROW]}}, the answer read by {@link PredictionParser}. One try per row, no
 * retries: a failing answer is part of the behaviour compared ({@code shadow_error_rate}).
 */
public final class MlflowEndpoint implements ModelEndpoint, AutoCloseable {
    /** How long one row may take when the caller has no preference. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpUrl invocations;
    private final OkHttpClient client;

    /**
     * @param baseUrl the server's root, e.g. {@code http://127.0.0.1:5001}; {@code /invocations} is added
     *        unless the URL already ends with it
     * @throws IllegalArgumentException when the URL is not http(s) or the timeout not positive
     */
    public MlflowEndpoint(String baseUrl, Duration timeout) {
        HttpUrl url = baseUrl == null ? null : HttpUrl.parse(baseUrl.strip());
        if (url == null) {
            throw new IllegalArgumentException("'" + baseUrl + "' is not an http or https URL");
        }
        if (!url.encodedPath().endsWith("/invocations")) {
            url = url.newBuilder().addPathSegment("invocations").build();
        }
        this.invocations = url;
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, was " + timeout);
        }
        this.client = new OkHttpClient.Builder().callTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).retryOnConnectionFailure(false)
                .followRedirects(false).build();
    }

    @Override
    public Answer answer(String row) throws InterruptedException {
        Request request = new Request.Builder().url(invocations).header("User-Agent", "ml-stages")
                .post(RequestBody.create("{\"dataframe_records\": [" + row + "]}", JSON)).build();
        long start = System.nanoTime();
        try (Response response = client.newCall(request).execute()) {
            byte[] body = response.body() == null ? new byte[0] : response.body().bytes();
            return PredictionParser.parse(response.code(), new String(body, StandardCharsets.UTF_8), millis(start));
        } catch (InterruptedIOException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while probing " + describe());
            }
            return Answer.failed(null, "timed out", millis(start));
        } catch (ConnectException e) {
            return Answer.failed(null, "connection refused", millis(start));
        } catch (IOException e) {
            // the exception's class only: a message may quote what the server sent
            return Answer.failed(null, "no answer (" + e.getClass().getSimpleName() + ")", millis(start));
        }
    }

    @Override
    public String describe() {
        return invocations.scheme() + "://" + invocations.host() + ":" + invocations.port() + invocations.encodedPath();
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
