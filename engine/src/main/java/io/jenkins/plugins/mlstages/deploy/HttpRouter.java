package io.jenkins.plugins.mlstages.deploy;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A router behind a webhook, for anything that is neither nginx nor KServe. The contract (docs/canary.md):
 * {@code PUT <url>} with {@code {"canary_weight": n}} applies the split and answers 2xx once it is in
 * effect; {@code GET <url>} answers {@code {"canary_weight": n}}. Both carry the bearer token, if any.
 */
public final class HttpRouter implements TrafficRouter {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String FIELD = "canary_weight";

    private final HttpUrl url;
    private final DeployHttp http;
    private final ObjectMapper mapper = new ObjectMapper();

    public HttpRouter(String url, Optional<String> bearerToken, Duration timeout) {
        this(parse(url), new DeployHttp("http router", bearerToken, timeout));
    }

    HttpRouter(HttpUrl url, DeployHttp http) {
        this.url = url;
        this.http = http;
    }

    static HttpUrl parse(String url) {
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw new IllegalArgumentException("the http router URL must be an http:// or https:// URL, was '" + url + "'");
        }
        return parsed;
    }

    @Override
    public void setCanaryWeight(int canaryPercent) throws InterruptedException {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100 %, was " + canaryPercent);
        }
        String operation = "set canary weight " + canaryPercent + " %";
        String body = mapper.createObjectNode().put(FIELD, canaryPercent).toString();
        DeployHttp.Answer answer = http.send(operation,
                new Request.Builder().url(url).put(RequestBody.create(body, JSON)).build());
        requireSuccess(operation, "PUT", answer);
        // an answer that reports the weight must report the one asked for
        if (!answer.body().isBlank()) {
            JsonNode node = readJson(operation, answer);
            if (node.has(FIELD) && weightIn(operation, node, answer) != canaryPercent) {
                throw new DeployException("http router " + operation + ": PUT " + DeployHttp.safe(url)
                        + " answered canary_weight " + node.get(FIELD) + " instead");
            }
        }
    }

    @Override
    public int canaryWeight() {
        String operation = "read canary weight";
        DeployHttp.Answer answer = http.sendOrFail(operation, new Request.Builder().url(url).get().build());
        requireSuccess(operation, "GET", answer);
        return weightIn(operation, readJson(operation, answer), answer);
    }

    @Override
    public String describe() {
        return "http router " + DeployHttp.safe(url);
    }

    private void requireSuccess(String operation, String method, DeployHttp.Answer answer) {
        if (!answer.successful()) {
            throw new DeployException("http router " + operation + " failed: " + method + " " + DeployHttp.safe(url)
                    + " answered " + answer.described());
        }
    }

    /** The answer's JSON object; an answer that is not one is described (what came), never repeated. */
    private JsonNode readJson(String operation, DeployHttp.Answer answer) {
        try {
            JsonNode node = mapper.readTree(answer.body());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException notJson) {
            // reported below
        }
        throw new DeployException("http router " + operation + ": " + DeployHttp.safe(url)
                + " answered something that is not a JSON object (" + answer.described().content() + ")");
    }

    private int weightIn(String operation, JsonNode node, DeployHttp.Answer answer) {
        JsonNode weight = node.get(FIELD);
        if (weight == null || !weight.isIntegralNumber() || weight.asInt() < 0 || weight.asInt() > 100) {
            // what kind of value came, not the value: the object may be anything an internal endpoint answers
            String found = weight == null ? "no canary_weight" : "a canary_weight that is "
                    + (weight.isIntegralNumber() ? "out of range" : "a " + weight.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            throw new DeployException("http router " + operation + ": " + DeployHttp.safe(url)
                    + " answered no canary_weight from 0 to 100: " + found + " (" + answer.described().content() + ")");
        }
        return weight.asInt();
    }
}
