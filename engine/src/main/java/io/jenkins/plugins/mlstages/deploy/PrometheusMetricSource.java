package io.jenkins.plugins.mlstages.deploy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mlstages.report.Printable;
import io.jenkins.plugins.mlstages.report.ServerAnswer;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Canary analysis numbers from the Prometheus HTTP API: one instant query ({@code GET /api/v1/query})
 * per check, evaluated at the analysis time. A query must give one number: a scalar or a vector of at
 * most one series (aggregate with {@code sum(...)} or select by labels). No series, or NaN, is no
 * data (an inconclusive analysis); more than one series, a refused query, or an unreachable server is
 * a {@link DeployException}. Infinities are returned as they are (e.g. errors over zero requests).
 */
public final class PrometheusMetricSource implements MetricSource {
    private final HttpUrl baseUrl;
    private final DeployHttp http;
    private final ObjectMapper mapper = new ObjectMapper();

    public PrometheusMetricSource(String baseUrl, Optional<String> bearerToken, Duration timeout) {
        this(parse(baseUrl), new DeployHttp("prometheus", bearerToken, timeout));
    }

    PrometheusMetricSource(HttpUrl baseUrl, DeployHttp http) {
        this.baseUrl = baseUrl;
        this.http = http;
    }

    static HttpUrl parse(String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw new IllegalArgumentException("the Prometheus URL must be an http:// or https:// URL, was '" + url + "'");
        }
        return parsed;
    }

    @Override
    public OptionalDouble query(String query, Instant at) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("the Prometheus query is empty");
        }
        HttpUrl target = endpoint().newBuilder()
                .addQueryParameter("query", query)
                .addQueryParameter("time", unixSeconds(at))
                .build();
        DeployHttp.Answer answer = http.sendOrFail("query", new Request.Builder().url(target).get().build());
        JsonNode body = readJson(answer);
        if (answer.described().code(ServerAnswer.Shape.PROMETHEUS).isPresent()) {
            throw new DeployException("prometheus refused the query " + quoted(query) + ": " + answer.described());
        }
        if (!answer.successful() || body == null || !"success".equals(body.path("status").asText())) {
            // what came, never what it said: the URL may be an internal endpoint
            throw new DeployException("prometheus query " + quoted(query) + " failed: " + DeployHttp.safe(target)
                    + " answered " + answer.described() + (answer.successful() ? ", not a Prometheus query result" : ""));
        }
        JsonNode data = body.path("data");
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        return switch (type) {
            case "scalar" -> value(query, result);
            case "vector" -> {
                if (result.size() > 1) {
                    throw new DeployException("prometheus query " + quoted(query) + " returned " + result.size()
                            + " series (e.g. " + result.get(0).path("metric") + ", " + result.get(1).path("metric")
                            + "); it must give one number: aggregate it, e.g. with sum(...)");
                }
                yield result.isEmpty() ? OptionalDouble.empty() : value(query, result.get(0).path("value"));
            }
            default -> throw new DeployException("prometheus query " + quoted(query) + " returned a "
                    + Printable.escape(type.length() > 40 ? type.substring(0, 40) + "…" : type)
                    + "; it must give a scalar or an instant vector of one series");
        };
    }

    /** {@code <base>/api/v1/query}, keeping a reverse-proxy prefix of the base URL. */
    private HttpUrl endpoint() {
        String base = baseUrl.newBuilder().query(null).build().toString();
        return HttpUrl.get(base.endsWith("/") ? base : base + "/").resolve("api/v1/query");
    }

    @Override
    public String describe() {
        return "prometheus " + DeployHttp.safe(baseUrl);
    }

    /** A sample {@code [<unix time>, "<value>"]}; NaN is no data. */
    private static OptionalDouble value(String query, JsonNode sample) {
        String text = sample.path(1).asText(null);
        if (text == null) {
            throw new DeployException("prometheus query " + quoted(query) + " returned a sample without a value");
        }
        double value = switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    String shown = Printable.escape(text.length() > 40 ? text.substring(0, 40) + "…" : text);
                    throw new DeployException("prometheus query " + quoted(query) + " returned the value '" + shown
                            + "', which is not a number");
                }
            }
        };
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private JsonNode readJson(DeployHttp.Answer answer) {
        try {
            JsonNode node = answer.body().isBlank() ? null : mapper.readTree(answer.body());
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /** Prometheus takes fractional Unix seconds. */
    static String unixSeconds(Instant at) {
        return BigDecimal.valueOf(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    private static String quoted(String query) {
        String flat = query.strip().replaceAll("\\s+", " ");
        return "'" + (flat.length() > 200 ? flat.substring(0, 200) + "…" : flat) + "'";
    }
}
