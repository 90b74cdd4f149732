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
 * A mirror behind a webhook (docs/shadow.md): {@code PUT <url>} with {@code {"shadow_mirror": true}}
 * starts sending a copy of live traffic to the capture and answers 2xx once it is in effect,
 * {@code {"shadow_mirror": false}} stops it; {@code GET <url>} answers {@code {"shadow_mirror": bool}}.
 * Both carry the bearer token, if any.
 */
public final class HttpMirror implements ShadowMirror {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    static final String FIELD = "shadow_mirror";

    private final HttpUrl url;
    private final DeployHttp http;
    private final ObjectMapper mapper = new ObjectMapper();

    public HttpMirror(String url, Optional<String> bearerToken, Duration timeout) {
        this.url = HttpRouter.parse(url);
        this.http = new DeployHttp("http mirror", bearerToken, timeout);
    }

    @Override
    public void setMirroring(boolean on) throws InterruptedException {
        String operation = "set shadow mirror " + (on ? "on" : "off");
        String body = mapper.createObjectNode().put(FIELD, on).toString();
        DeployHttp.Answer answer = http.send(operation, new Request.Builder().url(url).put(RequestBody.create(body, JSON)).build());
        if (!answer.successful()) {
            throw new DeployException("http mirror " + operation + " failed: PUT " + DeployHttp.safe(url) + " answered " + answer.described());
        }
    }

    @Override
    public boolean mirroring() {
        String operation = "read shadow mirror";
        DeployHttp.Answer answer = http.sendOrFail(operation, new Request.Builder().url(url).get().build());
        if (!answer.successful()) {
            throw new DeployException("http mirror " + operation + " failed: GET " + DeployHttp.safe(url) + " answered " + answer.described());
        }
        JsonNode node = null;
        try {
            node = mapper.readTree(answer.body());
        } catch (JsonProcessingException notJson) {
            // reported below
        }
        JsonNode value = node == null || !node.isObject() ? null : node.get(FIELD);
        if (value == null || !value.isBoolean()) {
            throw new DeployException("http mirror " + operation + ": " + DeployHttp.safe(url) + " answered no boolean "
                    + FIELD + " (" + answer.described().content() + ")");
        }
        return value.asBoolean();
    }

    @Override
    public String describe() {
        return "http mirror " + DeployHttp.safe(url);
    }
}
