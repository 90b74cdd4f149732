/** canaryDeploy: progressive traffic shift with metric analysis, promotion or rollback, resumable. */
package io.jenkins.plugins.mlstages.deploy;
