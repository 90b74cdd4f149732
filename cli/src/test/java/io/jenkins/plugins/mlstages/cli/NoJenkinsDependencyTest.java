package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertTrue;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine and the CLI must build and run without Jenkins (DESIGN.md): neither may use a Jenkins,
 * Stapler or Jenkins plugin type. The engine's classes come from its jar on this module's classpath.
 */
public class NoJenkinsDependencyTest {
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jenkins.plugins.mlstages");

    @Test
    public void engineAndCliDoNotDependOnJenkins() {
        ArchRule rule = noClasses().that().resideInAnyPackage("io.jenkins.plugins.mlstages..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke..")
                .because("all behaviour lives in the plain-Java engine; only plugin/ binds to Jenkins");
        rule.check(PRODUCTION);
    }

    @Test
    public void bothModulesAreScanned() {
        assertTrue("engine classes scanned", PRODUCTION.contain("io.jenkins.plugins.mlstages.registry.MlflowRegistry"));
        assertTrue("CLI classes scanned", PRODUCTION.contain("io.jenkins.plugins.mlstages.cli.Main"));
    }
}
