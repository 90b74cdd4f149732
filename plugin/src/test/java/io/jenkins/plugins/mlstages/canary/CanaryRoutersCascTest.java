package io.jenkins.plugins.mlstages.canary;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.model.CNode;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;

/** The router definitions from JCasC YAML ({@code unclassified: mlStagesCanary: routers:}) and back to YAML. */
public class CanaryRoutersCascTest {
    @Rule
    public JenkinsConfiguredWithCodeRule j = new JenkinsConfiguredWithCodeRule();

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    public void importsEveryRouter() {
        List<CanaryRouter> routers = CanaryRouters.get().getRouters();
        assertEquals(4, routers.size());
        NginxCanaryRouter edge = (NginxCanaryRouter) CanaryRouters.get().find("edge");
        assertEquals("nginx-host", edge.getAgent());
        assertEquals("/etc/nginx/conf.d/fraud-upstream.conf", edge.getConfig());
        assertEquals("sudo -n nginx -s reload", edge.getReloadCommand());
        KServeCanaryRouter kserve = (KServeCanaryRouter) CanaryRouters.get().find("prod-fraud");
        assertEquals("fraud-detector", kserve.getInferenceService());
        assertEquals("models", kserve.getNamespace());
        assertEquals("kserve-kubeconfig", kserve.getCredentialsId());
        assertEquals("10m", kserve.getReadyTimeout());
        IstioCanaryRouter istio = (IstioCanaryRouter) CanaryRouters.get().find("prod-iris");
        assertEquals("iris", istio.getVirtualService());
        assertEquals("predict", istio.getRoute());
        assertEquals("iris-v1-predictor.models.svc.cluster.local", istio.getStableDestination());
        assertEquals("iris-v2-predictor.models.svc.cluster.local", istio.getCanaryDestination());
        assertEquals("shadow-capture.models.svc.cluster.local", istio.getMirrorDestination());
        assertEquals(25, istio.getMirrorPercentage(), 0);
        assertEquals("/srv/shadow-capture", istio.getCaptureFolder());
        assertEquals("eks-agent", istio.getAgent());
        assertEquals("5m", istio.getReadyTimeout());
        HttpCanaryRouter webhook = (HttpCanaryRouter) CanaryRouters.get().find("webhook");
        assertEquals("https://router.example.com/fraud", webhook.getUrl());
        assertEquals("router-token", webhook.getCredentialsId());
        assertEquals(30, webhook.getTimeoutSeconds());
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    public void exportsWhatWasImported() throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("mlStagesCanary");
        assertNotNull("exported under the symbol mlStagesCanary", node);
        String exported = toYamlString(node);
        for (String line : List.of("- nginx:", "name: \"edge\"", "agent: \"nginx-host\"",
                "config: \"/etc/nginx/conf.d/fraud-upstream.conf\"", "reloadCommand: \"sudo -n nginx -s reload\"",
                "- kserve:", "name: \"prod-fraud\"", "inferenceService: \"fraud-detector\"",
                "credentialsId: \"kserve-kubeconfig\"", "- istio:", "virtualService: \"iris\"",
                "mirrorDestination: \"shadow-capture.models.svc.cluster.local\"", "agent: \"eks-agent\"", "- http:", "url: \"https://router.example.com/fraud\"",
                "credentialsId: \"router-token\"")) {
            assertTrue(exported, exported.contains(line));
        }
        assertTrue(exported, exported.matches("(?s).*timeoutSeconds: \"?30\"?\\n.*"));
    }
}
