package io.jenkins.plugins.mlstages.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.report.ServerAnswer;
import io.jenkins.plugins.mlstages.report.StageLog;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The wire to an MLflow server: builds requests, authenticates them, retries what is worth
 * retrying (saying so, one log line per retry), and maps error answers to exceptions. It knows
 * nothing of experiments or models.
 */
final class MlflowHttp implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    private static final String API = "api/2.0/mlflow";

    /** Sleeps between attempts; replaced in tests. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** A successful answer as received: for reading, never to be shown ({@link ServerAnswer} says what may be). */
    record Body(byte[] bytes, int status, String contentType) {
        ServerAnswer described(RegistryConfig config) {
            return ServerAnswer.of(status, contentType, bytes, config.getCredentials().secrets());
        }
    }

    /** What a plain-text answer must look like to be repeated: one short word, e.g. {@code OK} or {@code 3.1.0}. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    /** A request to send: what it is for (for messages), and how. */
    record Exchange(String operation, String method, HttpUrl url, JsonNode body) {
    }

    private final RegistryConfig config;
    private final OkHttpClient client;
    private final ObjectMapper mapper;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final Clock clock;
    private final StageLog log;

    /** @param log where each retry is announced, with its reason and the budget left */
    MlflowHttp(RegistryConfig config, ObjectMapper mapper, StageLog log) {
        this(config, mapper, d -> Thread.sleep(d.toMillis()), () -> ThreadLocalRandom.current().nextDouble(),
                Clock.systemUTC(), log);
    }

    MlflowHttp(RegistryConfig config, ObjectMapper mapper, Sleeper sleeper, DoubleSupplier random, Clock clock) {
        this(config, mapper, sleeper, random, clock, StageLog.NONE);
    }

    MlflowHttp(RegistryConfig config, ObjectMapper mapper, Sleeper sleeper, DoubleSupplier random, Clock clock,
            StageLog log) {
        this.log = log;
        this.config = config;
        this.mapper = mapper;
        this.sleeper = sleeper;
        this.random = random;
        this.clock = clock;
        this.client = newClient(config);
    }

    private static OkHttpClient newClient(RegistryConfig config) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(config.getConnectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.getReadTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(config.getReadTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // We retry ourselves: OkHttp's silent retry could send a create twice.
                .retryOnConnectionFailure(false)
                .followRedirects(false);
        Optional<String> authorization = config.getCredentials().authorizationHeader();
        String userAgent = config.getUserAgent();
        builder.addInterceptor(chain -> {
            Request.Builder request = chain.request().newBuilder().header("User-Agent", userAgent);
            authorization.ifPresent(value -> request.header("Authorization", value));
            return chain.proceed(request.build());
        });
        if (config.isInsecureTls()) {
            trustEverything(builder);
        }
        return builder.build();
    }

    /** MLFLOW_TRACKING_INSECURE_TLS=true: no certificate or host name check, as the official client does. */
    private static void trustEverything(OkHttpClient.Builder builder) {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // trusts everything on purpose
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // trusts everything on purpose
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            builder.sslSocketFactory(context.getSocketFactory(), trustAll).hostnameVerifier((host, session) -> true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS without verification", e);
        }
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** {@code <base>/api/2.0/mlflow/<path>} with the given query parameters. */
    HttpUrl api(String path, Map<String, ?> query) {
        return url(API + "/" + path, query);
    }

    /** {@code <base>/<path>}, for routes outside the API such as {@code /health}. */
    HttpUrl url(String path, Map<String, ?> query) {
        HttpUrl.Builder builder = HttpUrl.get(config.getBaseUrl()).newBuilder().addPathSegments(path);
        query.forEach((key, value) -> {
            if (value instanceof Iterable<?> values) {
                values.forEach(v -> builder.addQueryParameter(key, String.valueOf(v)));
            } else if (value != null) {
                builder.addQueryParameter(key, String.valueOf(value));
            }
        });
        return builder.build();
    }

    /** Sends a request that is safe to repeat, retrying per the policy; returns the JSON answer. */
    JsonNode send(Exchange exchange) {
        return execute(exchange, config.getRetryPolicy(), null, body -> readJson(exchange, body), null);
    }

    /** Sends once, without retrying. */
    JsonNode sendOnce(Exchange exchange) {
        return execute(exchange, RetryPolicy.NONE, null, body -> readJson(exchange, body), null);
    }

    /**
     * Sends a create that the server does not de-duplicate. Before each repeat, {@code findExisting}
     * looks for what an earlier attempt may have created; when it finds it, that is the answer.
     * When the look-up itself fails, nothing is created until a later look-up succeeds.
     */
    <T> T create(Exchange exchange, Function<JsonNode, T> parse, Supplier<Optional<T>> findExisting) {
        return execute(exchange, config.getRetryPolicy(), findExisting, body -> parse.apply(readJson(exchange, body)), null);
    }

    /** PUTs raw bytes (an artifact upload), retrying per the policy: the same PUT twice stores the same file. */
    void sendBytes(String operation, HttpUrl url, byte[] content) {
        execute(new Exchange(operation, "PUT", url, null), config.getRetryPolicy(), null, Body::bytes, content);
    }

    /** GETs raw bytes (an artifact download). */
    byte[] readBytes(String operation, HttpUrl url) {
        return execute(new Exchange(operation, "GET", url, null), config.getRetryPolicy(), null, Body::bytes, null);
    }

    /**
     * A plain-text answer ({@code /health}'s {@code OK}, {@code /version}'s {@code 3.1.0}): the word it is, or
     * null when it is anything else, and what came (content type, size) to say so without repeating it.
     */
    record TextAnswer(String word, String content) {
    }

    /** Sends a GET whose answer is one short word of plain text. */
    TextAnswer sendForText(Exchange exchange) {
        return execute(exchange, config.getRetryPolicy(), null, body -> {
            String word = text(body.bytes()).strip();
            return new TextAnswer(WORD.matcher(word).matches() ? word : null, body.described(config).content());
        }, null);
    }

    Instant now() {
        return clock.instant();
    }

    /** Waits between polls, interruptibly. */
    void pause(String operation, Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnreachableException(operation, "CANCELLED", 0, operation + " was interrupted", e);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A successful answer as JSON. One that is not JSON (a single sign-on page, a URL that is not MLflow's)
     * is a registry failure naming where it came from, not a bug of ours; its beginning is repeated, as an
     * error answer's is, with our credentials redacted.
     */
    private JsonNode readJson(Exchange exchange, Body body) {
        String text = text(body.bytes());
        if (text == null || text.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            // the cause is not kept: a parser's message quotes the text it choked on
            throw new RegistryException(exchange.operation(), "INVALID_RESPONSE", body.status(), exchange.operation()
                    + " failed: " + exchange.url().newBuilder().query(null).build() + " answered HTTP " + body.status()
                    + " with something that is not JSON (" + body.described(config).content()
                    + "; a sign-in page, or not an MLflow server?)", null);
        }
    }

    private <T> T execute(Exchange exchange, RetryPolicy policy, Supplier<Optional<T>> findExisting,
            Function<Body, T> reader, byte[] rawBody) {
        Instant start = clock.instant();
        Instant deadline = start.plus(policy.getMaxTotalWait());
        RegistryException last = null;
        for (int attempt = 1; ; attempt++) {
            Duration serverAskedWait = null;
            boolean sendThisTime = true;
            if (attempt > 1 && findExisting != null) {
                try {
                    Optional<T> existing = findExisting.get();
                    if (existing.isPresent()) {
                        return existing.get();
                    }
                } catch (RegistryException lookupFailed) {
                    if (!lookupFailed.isTransient()) {
                        throw lookupFailed;
                    }
                    last = lookupFailed;
                    sendThisTime = false;
                }
            }
            if (sendThisTime) {
                try (Response response = client.newCall(toRequest(exchange, rawBody)).execute()) {
                    byte[] bytes = response.body() == null ? new byte[0] : response.body().bytes();
                    if (response.isSuccessful()) {
                        return reader.apply(new Body(bytes, response.code(), response.header("Content-Type")));
                    }
                    RegistryException error = toError(exchange.operation(), response.code(), response.header("Content-Type"), bytes);
                    if (!ErrorMapping.TRANSIENT_STATUSES.contains(response.code())) {
                        throw error;
                    }
                    last = error;
                    serverAskedWait = retryAfter(response.header("Retry-After"));
                } catch (IOException e) {
                    last = unreachable(exchange.operation(), e);
                }
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (attempt >= policy.getMaxAttempts() || left.isNegative() || left.isZero()) {
                throw giveUp(last, attempt, policy, Duration.between(start, clock.instant()));
            }
            if (serverAskedWait != null && serverAskedWait.compareTo(left) > 0) {
                throw withReason(last, "the server asked to wait " + seconds(serverAskedWait)
                        + " (Retry-After) before trying again, longer than the " + seconds(left)
                        + " left of the " + seconds(policy.getMaxTotalWait()) + " retry budget"
                        + (attempt > 1 ? "; gave up after " + attempt + " attempts" : ""));
            }
            // The last backoff is shortened to end with the budget, so the budget is used in full.
            Duration backoff = policy.backoff(attempt, random.getAsDouble());
            Duration wait = serverAskedWait != null ? serverAskedWait : backoff.compareTo(left) > 0 ? left : backoff;
            log.info(last.getMessage() + "; retrying in " + seconds(wait) + " (attempt " + (attempt + 1) + "; "
                    + seconds(left.minus(wait)) + " of the " + seconds(policy.getMaxTotalWait())
                    + " retry budget left then)");
            pause(exchange.operation(), wait);
        }
    }

    private Request toRequest(Exchange exchange, byte[] rawBody) throws JsonProcessingException {
        Request.Builder builder = new Request.Builder().url(exchange.url());
        if ("GET".equals(exchange.method())) {
            return builder.get().build();
        }
        if (rawBody != null) {
            return builder.method(exchange.method(), RequestBody.create(rawBody, OCTET_STREAM)).build();
        }
        // DELETE takes a JSON body too, as the official client sends it.
        String json = exchange.body() == null ? "{}" : mapper.writeValueAsString(exchange.body());
        return builder.method(exchange.method(), RequestBody.create(json, JSON)).build();
    }

    private RegistryException toError(String operation, int status, String contentType, byte[] body) {
        // the connection's exact credentials, taken out of MLflow's message before it is cut short
        return ErrorMapping.toException(operation, ServerAnswer.of(status, contentType, body, config.getCredentials().secrets()));
    }

    private RegistryException unreachable(String operation, IOException e) {
        String why;
        if (e instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof UnknownHostException) {
            why = "unknown host " + e.getMessage();
        } else if (e instanceof InterruptedIOException) {
            why = "timed out";
        } else if (e instanceof ProtocolException) {
            // its message quotes what came instead of HTTP
            why = "the answer is not HTTP";
        } else if (e instanceof SSLException) {
            why = "TLS failed: " + e.getMessage();
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new RegistryUnreachableException(operation, "UNREACHABLE", 0,
                operation + " failed: no answer from " + config.getBaseUrl() + " (" + why + ")",
                // not a ProtocolException: its message quotes the answer
                e instanceof ProtocolException ? null : e);
    }

    private static RegistryException giveUp(RegistryException last, int attempts, RetryPolicy policy, Duration spent) {
        if (policy.getMaxAttempts() <= 1) {
            return last;
        }
        if (attempts <= 1) {
            return withReason(last, "not retried: the " + seconds(policy.getMaxTotalWait())
                    + " retry budget was spent");
        }
        return withReason(last, "gave up after " + attempts + " attempts in " + seconds(spent) + "; retry budget "
                + seconds(policy.getMaxTotalWait()));
    }

    /** {@code last} with {@code (reason)} appended, of the same kind. */
    private static RegistryException withReason(RegistryException last, String reason) {
        String message = last.getMessage() + " (" + reason + ")";
        RegistryException wrapped;
        if (last instanceof RateLimitedException) {
            wrapped = new RateLimitedException(last.getOperation(), last.getErrorCode(), last.getHttpStatus(), message, last);
        } else if (last instanceof RegistryUnreachableException) {
            wrapped = new RegistryUnreachableException(last.getOperation(), last.getErrorCode(), last.getHttpStatus(),
                    message, last.getCause());
        } else {
            wrapped = new ServerErrorException(last.getOperation(), last.getErrorCode(), last.getHttpStatus(), message, last);
        }
        return wrapped;
    }

    /** {@code Retry-After} as seconds or as an HTTP date; null when absent or unreadable. */
    Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** {@code 2.5 s}, {@code 120 s}: to a tenth, one unit, so that a line's numbers add up. */
    private static String seconds(Duration duration) {
        double value = Math.max(0, duration.toMillis()) / 1000.0;
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f s", value)
                : String.format(Locale.ROOT, "%.1f s", value);
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
