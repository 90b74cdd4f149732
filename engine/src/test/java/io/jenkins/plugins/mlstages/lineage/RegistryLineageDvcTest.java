package io.jenkins.plugins.mlstages.lineage;

import static org.junit.Assert.assertEquals;

import java.util.Map;

import org.junit.Test;

import io.jenkins.plugins.mlstages.registry.Dataset;

/** The lineage rebuilt from the registry shows what DVC records of a dataset input of source type dvc. */
public class RegistryLineageDvcTest {
    @Test
    public void aDvcSourceGivesItsDvcFields() {
        Dataset dvc = new Dataset("d", "abc", "dvc", "{\"uri\": \"file:///r/d.csv\", \"dvc_md5\": \"0f\","
                + " \"dvc_stage\": \"prepare\", \"dvc_matches\": \"true\", \"other\": \"x\", \"dvc_nested\": {\"a\": 1}}", null, null);
        assertEquals(Map.of("dvc_md5", "0f", "dvc_stage", "prepare", "dvc_matches", "true"), RegistryLineage.dvcAttributes(dvc));
    }

    @Test
    public void anotherSourceTypeOrAnUnreadableSourceGivesNone() {
        assertEquals(Map.of(), RegistryLineage.dvcAttributes(new Dataset("d", "abc", "local", "{\"dvc_md5\": \"0f\"}", null, null)));
        assertEquals(Map.of(), RegistryLineage.dvcAttributes(new Dataset("d", "abc", "dvc", "not json", null, null)));
    }
}
