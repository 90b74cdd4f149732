/**
 * Behaviour comparison of two model versions on the same requests: the candidate's predictions against
 * the live (stable) version's, for shadow mode, canary steps and replay probes. {@link
 * io.jenkins.plugins.mlstages.deploy.behaviour.PairedAnswer} is one request answered by both;
 * {@link io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourComparison} accumulates pairs in bounded
 * memory; {@link io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourSummary} holds the figures and their
 * named metrics, which {@link io.jenkins.plugins.mlstages.deploy.behaviour.BehaviourCheck}s judge (the
 * check grammar's behaviour rules, docs/canary.md).
 */
package io.jenkins.plugins.mlstages.deploy.behaviour;
